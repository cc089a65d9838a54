import { randomInt, randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import Fastify, { type FastifyInstance, type InjectOptions, type LightMyRequestResponse } from 'fastify';
import { loadConfig, serviceServerOptions } from '@bartholomew/platform';
import { captureLogs, createTestDatabase, type CapturedLogs, type TestDatabase } from '@bartholomew/testing';
import type { Onboarding, StartOnboardingRequest } from '@bartholomew/contracts-onboarding-process';
import { onboardingProcess, type OnboardingAppOptions } from '../src/app';
import { OnboardingConfigSchema } from '../src/config';
import { PROCESS_SECRET, type SystemApis } from './support/system-apis';

const EXPERIENCE_SECRET = 'experience-secret-for-onboarding-tests';
const OPERATOR_SECRET = 'operator-secret-for-onboarding-tests';
export const PII_KEY = Buffer.alloc(32, 9).toString('base64');

/** Credential headers of the callers the Process API accepts (and one it refuses). */
export const callers = {
  experience: { 'x-service-credential': `mobile-experience-api.${EXPERIENCE_SECRET}` },
  operator: { 'x-service-credential': `ops-console.${OPERATOR_SECRET}` },
} as const;

export const ACCEPTED_CALLERS = [
  `mobile-experience-api:experience:${EXPERIENCE_SECRET}`,
  `ops-console:operator:${OPERATOR_SECRET}`,
  `account-system-api:system:system-secret-for-onboarding-tests`,
].join(',');

/** The environment of a Process API wired to the test System APIs, fast retries for tests. */
export function testEnvironment(databaseUrl: string, systemApis: SystemApis | undefined, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PORT: '0',
    LOG_LEVEL: 'info',
    DATABASE_URL: databaseUrl,
    ACCEPTED_CALLERS,
    PII_ENCRYPTION_KEY: PII_KEY,
    SERVICE_CREDENTIAL_SECRET: PROCESS_SECRET,
    ACCOUNT_SYSTEM_URL: systemApis?.account.baseUrl ?? 'http://127.0.0.1:9',
    BILLING_SYSTEM_URL: systemApis?.billing.baseUrl ?? 'http://127.0.0.1:9',
    DOWNSTREAM_TIMEOUT_MS: '1500',
    DOWNSTREAM_BREAKER_RESET_MS: '300',
    WORKFLOW_POLL_INTERVAL_MS: '100',
    STEP_RETRY_BASE_MS: '100',
    STEP_RETRY_MAX_MS: '500',
    SHUTDOWN_GRACE_MS: '1000',
    ...extra,
  };
}

export interface TestApp {
  app: FastifyInstance;
  logs: CapturedLogs;
  database: TestDatabase;
  /** Sends a request as the mobile Experience API acting for `endUser` (default `user-ada`). */
  call(options: InjectOptions & { endUser?: string | null; as?: keyof typeof callers }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function buildTestApp(
  systemApis: SystemApis | undefined,
  options: { env?: Record<string, string>; overrides?: OnboardingAppOptions['overrides']; database?: TestDatabase } = {},
): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const logs = captureLogs();
  const config = loadConfig(OnboardingConfigSchema, testEnvironment(database.url, systemApis, options.env));
  const app = Fastify(serviceServerOptions(config, { logStream: logs.stream }));
  try {
    await app.register(onboardingProcess, { config, overrides: options.overrides });
    await app.ready();
  } catch (error) {
    await app.close();
    if (!options.database) await database.drop();
    throw error;
  }
  return {
    app,
    logs,
    database,
    call: ({ endUser = 'user-ada', as = 'experience', headers, ...rest }) =>
      app.inject({
        ...rest,
        headers: { ...callers[as], ...(endUser ? { 'x-end-user-subject': endUser } : {}), ...headers },
      }),
    close: async () => {
      await app.close();
      if (!options.database) await database.drop();
    },
  };
}

export const newKey = () => `test-${randomUUID()}`;

/**
 * A valid SSN no KYC test value uses (area 200–599), so each applicant is a new bank customer.
 * Serials stop at 9998: 219-09-9999 is a voided specimen the rules refuse.
 */
export function freshSsn(): string {
  return `${randomInt(200, 600)}-${String(randomInt(1, 100)).padStart(2, '0')}-${String(randomInt(1, 9999)).padStart(4, '0')}`;
}

/** Real published routing number of the sandbox's instant-verification bank. */
export const INSTANT_ROUTING = '011000015';
/** A valid routing number (JPMorgan Chase) where the sandbox sends micro-deposits. */
export const MICRO_DEPOSIT_ROUTING = '021000021';

export function application(
  overrides: {
    ssn?: string;
    routingNumber?: string;
    accountNumber?: string;
    productType?: 'checking' | 'savings';
    planCode?: string;
    deposit?: number | null;
    legalName?: string;
  } = {},
): StartOnboardingRequest {
  return {
    applicant: {
      legalName: overrides.legalName ?? 'Ada Lovelace',
      dateOfBirth: '1990-04-01',
      ssn: overrides.ssn ?? freshSsn(),
      email: 'ada@example.com',
      phone: '+12125550123',
      address: { line1: '1 Main St', city: 'New York', state: 'NY', postalCode: '10001' },
    },
    product: { productType: overrides.productType ?? 'checking', planCode: overrides.planCode ?? 'basic-checking' },
    fundingAccount: {
      routingNumber: overrides.routingNumber ?? INSTANT_ROUTING,
      accountNumber: overrides.accountNumber ?? `7${String(randomInt(0, 1e9)).padStart(9, '0')}7`,
      accountType: 'checking',
    },
    ...(overrides.deposit === null ? {} : { openingDeposit: { amountMinor: overrides.deposit ?? 2500, currency: 'USD' as const } }),
  };
}

/**
 * Makes a plan the Process API offers unknown to the billing System API (renamed in billing's own
 * database), so billing setup is refused for good (UNKNOWN_FEE_PLAN) after the account was opened:
 * how a test reaches the compensation path now that a plan unknown to the catalogue is refused on
 * arrival. Returns the plan code to apply with.
 */
export async function withdrawPlanFromBilling(systems: SystemApis, planCode = 'premium-checking'): Promise<string> {
  await systems.billing.query("UPDATE fee_plans SET plan_code = plan_code || '-withdrawn' WHERE plan_code = $1", [planCode]);
  return planCode;
}

export async function startOnboarding(test: TestApp, body: StartOnboardingRequest, endUser = 'user-ada'): Promise<Onboarding> {
  const res = await test.call({ method: 'POST', url: '/v1/onboardings', payload: body, headers: { 'idempotency-key': newKey() }, endUser });
  if (res.statusCode !== 202) throw new Error(`starting an onboarding answered ${res.statusCode}: ${res.body}`);
  return res.json();
}

/** Polls the onboarding until `done` holds (or fails the test after `timeoutMs`). */
export async function waitForOnboarding(
  test: TestApp,
  id: string,
  done: (onboarding: Onboarding) => boolean,
  timeoutMs = 20_000,
): Promise<Onboarding> {
  const deadline = Date.now() + timeoutMs;
  let last: Onboarding | undefined;
  while (Date.now() < deadline) {
    const res = await test.call({ url: `/v1/onboardings/${id}`, as: 'operator', endUser: null });
    last = res.json();
    if (res.statusCode === 200 && last && done(last)) return last;
    await delay(50);
  }
  throw new Error(`onboarding ${id} did not reach the expected state in ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
}

export const isFinal = (onboarding: Onboarding) => ['completed', 'rejected', 'failed'].includes(onboarding.status);

export async function waitUntil(condition: () => Promise<boolean> | boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await delay(50);
  }
  throw new Error(`${what} did not hold within ${timeoutMs} ms`);
}

export function expectProblem(res: LightMyRequestResponse, status: number, code: string): void {
  expect({ status: res.statusCode, contentType: res.headers['content-type'], code: res.json().code }).toEqual({
    status,
    contentType: expect.stringMatching(/^application\/problem\+json/),
    code,
  });
}
