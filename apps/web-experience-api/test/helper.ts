import Fastify, { type FastifyInstance, type InjectOptions, type LightMyRequestResponse } from 'fastify';
import { loadConfig, serviceServerOptions } from '@bartholomew/platform';
import { captureLogs, type CapturedLogs } from '@bartholomew/testing';
import { webExperience, WebExperienceConfigSchema, type OnboardingProcess } from '../src/app';
import { EXPERIENCE_SECRETS } from '@bartholomew/test-stack';
import { ISSUER, testIdentityProvider, type TestIdentityProvider } from '@bartholomew/test-stack';

export const AUDIENCE = 'web-experience-api';

export interface TestApp {
  app: FastifyInstance;
  idp: TestIdentityProvider;
  logs: CapturedLogs;
  /** Sends a request as end user `as` (a fresh valid token each time); `as: null` sends none. */
  call(options: InjectOptions & { as: string | null }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** The real web API, calling the Process API at `processUrl` (nothing needs to listen there for auth tests). */
export async function buildTestApp(options: { processUrl: string; env?: Record<string, string>; process?: OnboardingProcess }): Promise<TestApp> {
  const idp = await testIdentityProvider(AUDIENCE);
  const logs = captureLogs();
  const config = loadConfig(WebExperienceConfigSchema, {
    PORT: '0',
    LOG_LEVEL: 'info',
    PII_ENCRYPTION_KEY: Buffer.alloc(32, 8).toString('base64'),
    JWT_ISSUER: ISSUER,
    JWT_AUDIENCE: AUDIENCE,
    JWT_PUBLIC_KEYS: idp.jwks,
    ONBOARDING_PROCESS_URL: options.processUrl,
    SERVICE_CREDENTIAL_SECRET: EXPERIENCE_SECRETS['web-experience-api'],
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
  await app.register(webExperience, { config, process: options.process });
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

export function expectProblem(res: LightMyRequestResponse, status: number, code?: string): void {
  expect({ status: res.statusCode, contentType: res.headers['content-type'], code: code === undefined ? undefined : res.json().code }).toEqual({
    status,
    contentType: expect.stringMatching(/^application\/problem\+json/),
    code,
  });
}

/** Today and other days as the `from`/`to` filters take them (UTC). */
export const day = (offsetDays = 0) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
