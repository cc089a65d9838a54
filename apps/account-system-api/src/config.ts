import { Type, type Static } from '@sinclair/typebox';
import { ServiceConfigSchema } from '@bartholomew/platform/server';

/** Where core banking lives: this service's own PostgreSQL ledger, or the mainframe behind the core-banking gateway. */
export const CoreBankingBackend = { postgres: 'postgres', mainframe: 'mainframe' } as const;
export type CoreBankingBackend = (typeof CoreBankingBackend)[keyof typeof CoreBankingBackend];

/**
 * The account System API reads the platform's variables (its port defaults to 3101) and the
 * choice of core-banking backend; the CORE_BANKING_GATEWAY_* variables are read only with
 * CORE_BANKING_BACKEND=mainframe.
 */
export const AccountSystemConfigSchema = Type.Object({
  ...ServiceConfigSchema.properties,
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3101 }),
  CORE_BANKING_BACKEND: Type.Union([Type.Literal(CoreBankingBackend.postgres), Type.Literal(CoreBankingBackend.mainframe)], {
    default: CoreBankingBackend.postgres,
    description: 'postgres: the ledger in this service’s database; mainframe: the core-banking gateway',
  }),
  CORE_BANKING_GATEWAY_HOST: Type.String({ minLength: 1, default: '127.0.0.1', description: 'Host of the core-banking gateway (TCP)' }),
  CORE_BANKING_GATEWAY_PORT: Type.Integer({ minimum: 1, maximum: 65535, default: 3901, description: 'TCP port of the gateway protocol' }),
  CORE_BANKING_GATEWAY_SESSIONS: Type.Integer({
    minimum: 1,
    maximum: 10_000,
    default: 8,
    description: 'Sessions (connections) this service keeps at most; below the gateway’s GATEWAY_MAX_SESSIONS (16), which other clients share',
  }),
  CORE_BANKING_GATEWAY_TIMEOUT_MS: Type.Integer({
    minimum: 100,
    maximum: 60_000,
    default: 5_000,
    description: 'Time budget of one gateway call (waiting for a session, connecting, the answer); below REQUEST_TIMEOUT_MS',
  }),
  CORE_BANKING_GATEWAY_CLIENT_ID: Type.String({
    pattern: '^[A-Z0-9]{1,8}$',
    default: 'ACCTSAPI',
    description: 'MSG-CLIENT-ID: the sign-on id this service gives the gateway',
  }),
});
export type AccountSystemConfig = Static<typeof AccountSystemConfigSchema>;
