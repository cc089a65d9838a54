import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { CoreBanking } from '../core-banking/core-banking';
import { PostgresCoreBanking } from '../core-banking/postgres-core-banking';

declare module 'fastify' {
  interface FastifyInstance {
    /** The core-banking backend behind this API; routes use nothing else to reach data. */
    coreBanking: CoreBanking;
  }
}

/**
 * Decorates `fastify.coreBanking`. Today the backend is the Postgres ledger on the platform's
 * database; the mainframe gateway adapter will be chosen here, and nowhere else.
 */
async function coreBankingPlugin(app: FastifyInstance): Promise<void> {
  app.decorate<CoreBanking>('coreBanking', new PostgresCoreBanking(app.db, app.pii));
}

export const coreBanking = fp(coreBankingPlugin, { name: 'core-banking', dependencies: ['platform'], fastify: '5.x' });
