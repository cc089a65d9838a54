import { setTimeout as delay } from 'node:timers/promises';
import Fastify, { type FastifyInstance, type InjectOptions, type LightMyRequestResponse } from 'fastify';
import { loadConfig, serviceServerOptions } from '@bartholomew/platform';
import { captureLogs, type CapturedLogs } from '@bartholomew/testing';
import type { NextStepAnswer, OnboardingForm } from '@bartholomew/contracts-mobile-experience';
import { mobileExperience, MobileExperienceConfigSchema, type OnboardingProcess } from '../src/app';
import { EXPERIENCE_SECRETS, SANDBOX, freshAccountNumber, freshSsn, newKey } from '@bartholomew/test-stack';
import { ISSUER, testIdentityProvider, type TestIdentityProvider } from '@bartholomew/test-stack';

export const AUDIENCE = 'mobile-experience-api';

export interface TestApp {
  app: FastifyInstance;
  idp: TestIdentityProvider;
  logs: CapturedLogs;
  /** Sends a request as end user `as` (a fresh valid token each time); `as: null` sends none. */
  call(options: InjectOptions & { as: string | null }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** The real mobile API, calling the Process API at `processUrl` (nothing needs to listen there for auth tests). */
export async function buildTestApp(options: { processUrl: string; env?: Record<string, string>; process?: OnboardingProcess }): Promise<TestApp> {
  const idp = await testIdentityProvider(AUDIENCE);
  const logs = captureLogs();
  const config = loadConfig(MobileExperienceConfigSchema, {
    PORT: '0',
    LOG_LEVEL: 'info',
    PII_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    JWT_ISSUER: ISSUER,
    JWT_AUDIENCE: AUDIENCE,
    JWT_PUBLIC_KEYS: idp.jwks,
    ONBOARDING_PROCESS_URL: options.processUrl,
    SERVICE_CREDENTIAL_SECRET: EXPERIENCE_SECRETS['mobile-experience-api'],
    PROCESS_TIMEOUT_MS: '1500',
    PROCESS_BREAKER_RESET_MS: '2000',
    RATE_LIMIT_PER_MINUTE: '10000',
    RATE_LIMIT_BURST_PER_SECOND: '10000',
    RATE_LIMIT_CONCURRENT_PER_USER: '10000',
    RATE_LIMIT_PER_IP_BURST_PER_SECOND: '100000',
    RATE_LIMIT_PER_IP_PER_MINUTE: '1000000', // every injected request comes from 127.0.0.1
    ...options.env,
  });
  const app = Fastify(serviceServerOptions(config, { logStream: logs.stream }));
  await app.register(mobileExperience, { config, process: options.process });
  await app.ready();
  return {
    app,
    idp,
    logs,
    call: async ({ as, headers, ...rest }) =>
      app.inject({ ...rest, headers: { ...(as === null ? {} : { authorization: `Bearer ${await idp.token(as)}` }), ...headers } }),
    close: () => app.close(),
  };
}

/** The sign-up form as the app sends it; instant ACH verification unless told otherwise. */
export function signUpForm(
  overrides: { ssn?: string; routingNumber?: string; accountNumber?: string; deposit?: number | null; plan?: string } = {},
): OnboardingForm {
  return {
    firstName: 'Ada',
    lastName: 'Lovelace',
    dateOfBirth: '1990-04-01',
    ssn: overrides.ssn ?? freshSsn(),
    email: 'ada@example.com',
    phone: '+12125550123',
    address: { street: '1 Main St', unit: 'Apt 4', city: 'New York', state: 'NY', zip: '10001' },
    account: 'checking',
    plan: overrides.plan ?? 'premium-checking',
    bank: {
      routingNumber: overrides.routingNumber ?? SANDBOX.instantRouting,
      accountNumber: overrides.accountNumber ?? freshAccountNumber(),
      type: 'checking',
    },
    ...(overrides.deposit === null ? {} : { initialDepositCents: overrides.deposit ?? 2500 }),
  };
}

/** The micro-deposit path with the sandbox's fixed amounts (32 and 45 cents). */
export const microDepositForm = () =>
  signUpForm({ routingNumber: SANDBOX.microDepositRouting, accountNumber: freshAccountNumber(SANDBOX.fixedDepositsSuffix) });

export async function startOnboarding(test: TestApp, as: string, form: OnboardingForm = signUpForm()): Promise<NextStepAnswer> {
  const res = await test.call({ method: 'POST', url: '/v1/onboardings', payload: form, headers: { 'idempotency-key': newKey() }, as });
  if (res.statusCode !== 202) throw new Error(`starting an onboarding answered ${res.statusCode}: ${res.body}`);
  return res.json();
}

/** Polls "what next" as the app does until `done` holds. */
export async function pollUntil(
  test: TestApp,
  as: string,
  id: string,
  done: (answer: NextStepAnswer) => boolean,
  timeoutMs = 30_000,
): Promise<NextStepAnswer> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    const res = await test.call({ url: `/v1/onboardings/${id}`, as });
    last = res.json();
    if (res.statusCode === 200 && done(last as NextStepAnswer)) return last as NextStepAnswer;
    await delay(100);
  }
  throw new Error(`onboarding ${id} did not reach the expected step in ${timeoutMs} ms; last: ${JSON.stringify(last)}`);
}

export const settled = (answer: NextStepAnswer) => answer.next !== 'processing';

export function expectProblem(res: LightMyRequestResponse, status: number, code?: string): void {
  expect({ status: res.statusCode, contentType: res.headers['content-type'], code: code === undefined ? undefined : res.json().code }).toEqual({
    status,
    contentType: expect.stringMatching(/^application\/problem\+json/),
    code,
  });
}
