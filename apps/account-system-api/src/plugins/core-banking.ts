import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { AccountSystemConfig } from '../config';
import type { CoreBanking } from '../core-banking/core-banking';
import { CoreBankingGateway } from '../core-banking/mainframe/core-banking-gateway';
import { MainframeCoreBanking } from '../core-banking/mainframe/mainframe-core-banking';
import { PostgresCoreBanking } from '../core-banking/postgres-core-banking';

declare module 'fastify' {
  interface FastifyInstance {
    /** The core-banking backend behind this API; routes use nothing else to reach data. */
    coreBanking: CoreBanking;
  }
}

/**
 * Decorates `fastify.coreBanking` with the backend CORE_BANKING_BACKEND names — chosen here and
 * nowhere else: the Postgres ledger on the platform's database, or the mainframe behind the
 * core-banking gateway. The gateway client joins `app.downstreams` (its breaker shows in
 * `/health/ready` and `/metrics`) and its sessions close with the app.
 */
async function coreBankingPlugin(app: FastifyInstance): Promise<void> {
  // The platform decorates the config app.ts gave it: this service's own schema, typed as the platform's.
  const config = app.config as AccountSystemConfig;
  if (config.CORE_BANKING_BACKEND === 'postgres') {
    app.decorate<CoreBanking>('coreBanking', new PostgresCoreBanking(app.db, app.pii));
    return;
  }
  const gateway = new CoreBankingGateway({
    host: config.CORE_BANKING_GATEWAY_HOST,
    port: config.CORE_BANKING_GATEWAY_PORT,
    sessions: config.CORE_BANKING_GATEWAY_SESSIONS,
    timeoutMs: config.CORE_BANKING_GATEWAY_TIMEOUT_MS,
    clientId: config.CORE_BANKING_GATEWAY_CLIENT_ID,
  });
  app.downstreams.add(gateway);
  app.addHook('onClose', async () => gateway.close());
  app.decorate<CoreBanking>('coreBanking', new MainframeCoreBanking(app.db, gateway));
}

export const coreBanking = fp(coreBankingPlugin, { name: 'core-banking', dependencies: ['platform'], fastify: '5.x' });
