import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type InjectOptions, type LightMyRequestResponse } from 'fastify';
import { loadConfig, serviceServerOptions } from '@bartholomew/platform';
import { captureLogs, createTestDatabase, type CapturedLogs, type TestDatabase } from '@bartholomew/testing';
import { billingSystemApi } from '../src/app';
import { BillingConfigSchema } from '../src/config';

const PROCESS_SECRET = 'process-secret-for-billing-tests';
const OPERATOR_SECRET = 'operator-secret-for-billing-tests';
const EXPERIENCE_SECRET = 'experience-secret-for-billing-tests';

/** Credential headers of the callers the test app knows: one per layer that matters here. */
export const callers = {
  process: { 'x-service-credential': `onboarding-process-api.${PROCESS_SECRET}` },
  operator: { 'x-service-credential': `billing-ops-console.${OPERATOR_SECRET}` },
  experience: { 'x-service-credential': `mobile-experience-api.${EXPERIENCE_SECRET}` },
} as const;

/** Small, so the oversized-body test does not need megabytes. */
export const TEST_BODY_LIMIT_BYTES = 4096;

export interface TestApp {
  app: FastifyInstance;
  logs: CapturedLogs;
  database: TestDatabase;
  /** Sends a request as the onboarding Process API, unless `headers` say otherwise. */
  call(options: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** The test configuration, as the environment would give it. */
export function testEnvironment(databaseUrl: string): Record<string, string> {
  return {
    PORT: '0',
    LOG_LEVEL: 'info',
    DATABASE_URL: databaseUrl,
    BODY_LIMIT_BYTES: String(TEST_BODY_LIMIT_BYTES),
    ACCEPTED_CALLERS: [
      `onboarding-process-api:process:${PROCESS_SECRET}`,
      `billing-ops-console:operator:${OPERATOR_SECRET}`,
      `mobile-experience-api:experience:${EXPERIENCE_SECRET}`,
    ].join(','),
    PII_ENCRYPTION_KEY: Buffer.alloc(32, 11).toString('base64'),
  };
}

/** The billing System API as main.ts builds it, on a fresh database of its own, logs captured. */
export async function buildTestApp(): Promise<TestApp> {
  const database = await createTestDatabase();
  const logs = captureLogs();
  const config = loadConfig(BillingConfigSchema, testEnvironment(database.url));
  const app = Fastify(serviceServerOptions(config, { logStream: logs.stream }));
  try {
    await app.register(billingSystemApi, { config });
    await app.ready();
  } catch (error) {
    await app.close();
    await database.drop();
    throw error;
  }
  return {
    app,
    logs,
    database,
    call: (options) => app.inject({ ...options, headers: { ...callers.process, ...options.headers } }),
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}

export const newKey = () => `test-${randomUUID()}`;

/** A billing account request for a new customer and deposit account. */
export function openingRequest(overrides: Partial<{ customerId: string; accountId: string; planCode: string }> = {}) {
  return { customerId: randomUUID(), accountId: randomUUID(), planCode: 'basic-checking', ...overrides };
}

/** Real published routing number (JPMorgan Chase, New York) and a made-up account number. */
export function bankAccount(overrides: Partial<{ routingNumber: string; accountNumber: string; accountType: string; holderName: string }> = {}) {
  return { routingNumber: '021000021', accountNumber: '000123456789', accountType: 'checking', holderName: 'Ada Lovelace', ...overrides };
}

/** Opens a billing account through the API and answers its id. */
export async function openBillingAccount(test: TestApp, request = openingRequest()): Promise<string> {
  const res = await test.call({ method: 'POST', url: '/v1/billing-accounts', payload: request, headers: { 'idempotency-key': newKey() } });
  if (res.statusCode !== 201) throw new Error(`opening a billing account answered ${res.statusCode}: ${res.body}`);
  return res.json().billingAccountId;
}

/** Adds a payment method through the API and answers its id. */
export async function addPaymentMethod(test: TestApp, billingAccountId: string, account = bankAccount()): Promise<string> {
  const res = await test.call({
    method: 'POST',
    url: `/v1/billing-accounts/${billingAccountId}/payment-methods`,
    payload: account,
    headers: { 'idempotency-key': newKey() },
  });
  if (res.statusCode !== 201) throw new Error(`adding a payment method answered ${res.statusCode}: ${res.body}`);
  return res.json().paymentMethodId;
}

export function expectProblem(res: LightMyRequestResponse, status: number, code: string): void {
  expect({ status: res.statusCode, contentType: res.headers['content-type'] }).toEqual({
    status,
    contentType: expect.stringMatching(/^application\/problem\+json/),
  });
  expect(res.json()).toMatchObject({ status, code, type: `urn:problem:${code.toLowerCase().replace(/_/g, '-')}` });
}
