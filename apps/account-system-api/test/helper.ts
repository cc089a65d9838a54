import { randomInt, randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import type { CreateCustomerRequest, Customer, Account } from '@bartholomew/contracts-account-system';
import { loadConfig, serviceServerOptions, type ServerOptionsOverrides } from '@bartholomew/platform';
import { createTestDatabase, type TestDatabase } from '@bartholomew/testing';
import { accountSystem, AccountSystemConfigSchema, type AccountSystemConfig } from '../src/app';

/** Credentials of the callers the test app accepts, one per layer that matters here. */
export const callers = {
  process: { name: 'onboarding-process-api', layer: 'process', secret: 'process-secret-0123456789' },
  operator: { name: 'ops-console', layer: 'operator', secret: 'operator-secret-0123456789' },
  experience: { name: 'mobile-experience-api', layer: 'experience', secret: 'experience-secret-0123456789' },
} as const;

export const credentialOf = (caller: (typeof callers)[keyof typeof callers]) => ({
  'x-service-credential': `${caller.name}.${caller.secret}`,
});
/** Headers of the process-layer caller the tests act as. */
export const asProcess = credentialOf(callers.process);

/** A fixed PII key: tests decrypt stored values to prove what was stored. */
export const TEST_PII_KEY = Buffer.alloc(32, 9).toString('base64');

export function testConfig(databaseUrl: string, overrides: Record<string, string> = {}): AccountSystemConfig {
  return loadConfig(AccountSystemConfigSchema, {
    PORT: '0',
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    BODY_LIMIT_BYTES: '4096',
    ACCEPTED_CALLERS: Object.values(callers)
      .map((caller) => `${caller.name}:${caller.layer}:${caller.secret}`)
      .join(','),
    PII_ENCRYPTION_KEY: TEST_PII_KEY,
    ...overrides,
  });
}

export interface TestApp {
  app: FastifyInstance;
  database: TestDatabase;
  close(): Promise<void>;
}

/** The real app on a fresh database of its own; call `close()` in afterAll. */
export async function buildTestApp(options: { config?: Record<string, string>; server?: ServerOptionsOverrides } = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = testConfig(database.url, options.config);
  const app = Fastify(serviceServerOptions(config, options.server));
  try {
    await app.register(accountSystem, { config });
    await app.ready();
  } catch (error) {
    await app.close();
    await database.drop();
    throw error;
  }
  return {
    app,
    database,
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}

/** A nine-digit SSN no other test customer has, dashed. */
export function uniqueTaxId(): string {
  const digits = String(randomInt(100_000_000, 1_000_000_000));
  return `${digits.slice(0, 3)}-${digits.slice(3, 5)}-${digits.slice(5)}`;
}

export const newIdempotencyKey = () => randomUUID();

export function customerRequest(overrides: Partial<CreateCustomerRequest> = {}): CreateCustomerRequest {
  return {
    legalName: 'Ada Lovelace',
    dateOfBirth: '1990-04-01',
    taxId: uniqueTaxId(),
    email: 'ada@example.com',
    phone: '+12125550123',
    address: { line1: '1 Main Street', city: 'New York', state: 'NY', postalCode: '10001' },
    ...overrides,
  };
}

/** Thin wrappers over inject() for the set-up steps most tests share. */
export function postJson(app: FastifyInstance, url: string, payload: unknown, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url, payload: payload as object, headers: { ...asProcess, ...headers } });
}

export function getJson(app: FastifyInstance, url: string, headers: Record<string, string> = asProcess): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'GET', url, headers });
}

export async function createCustomer(app: FastifyInstance, overrides: Partial<CreateCustomerRequest> = {}): Promise<Customer> {
  const res = await postJson(app, '/v1/customers', customerRequest(overrides), { 'idempotency-key': newIdempotencyKey() });
  if (res.statusCode !== 201) throw new Error(`creating a customer answered ${res.statusCode}: ${res.body}`);
  return res.json();
}

export async function openAccount(app: FastifyInstance, customerId?: string): Promise<Account> {
  const owner = customerId ?? (await createCustomer(app)).customerId;
  const res = await postJson(
    app,
    '/v1/accounts',
    { customerId: owner, productType: 'checking', currency: 'USD' },
    { 'idempotency-key': newIdempotencyKey() },
  );
  if (res.statusCode !== 201) throw new Error(`opening an account answered ${res.statusCode}: ${res.body}`);
  return res.json();
}

export async function post(app: FastifyInstance, accountId: string, direction: 'credit' | 'debit', amountMinor: number) {
  return postJson(
    app,
    `/v1/accounts/${accountId}/transactions`,
    { direction, amount: { amountMinor, currency: 'USD' }, description: `${direction} of ${amountMinor}` },
    { 'idempotency-key': newIdempotencyKey() },
  );
}

export const PROBLEM_JSON = /^application\/problem\+json/;
export const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';
