import Fastify, { type FastifyInstance } from 'fastify';
import { captureLogs } from '@bartholomew/testing';
import { loadConfig, ServiceConfigSchema } from './config';
import { createLogScrubber } from './log-redaction';
import { platform } from './platform-plugin';
import { loggableUrl, serviceServerOptions } from './server-options';

const SECRET = 'process-secret-0123456789';
const caller = { 'x-service-credential': `onboarding-process-api.${SECRET}` };
/** A real-looking ES256 JWT (header, payload, signature). */
const JWT =
  'eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLWFkYSIsImF1ZCI6Im1vYmlsZSIsImV4cCI6MTc2NzIyNTYwMH0.MEUCIQDx4m1T2QyW0m8Zc9bG0JqkP3bJk7Yy2cQ9mR3wF5oXpQIgS1dK8wq7H9Yj2LmT4cVfZxR6uN0pE3sAbCdEfGhIjKl';
/** An onboarding id whose last group is all digits: it must stay searchable. */
const DIGIT_TAIL_ID = '5f0c8a9e-4a8e-4e7b-9d3c-123456789012';

describe('log redaction', () => {
  const logs = captureLogs();
  let app: FastifyInstance;
  beforeAll(async () => {
    const config = loadConfig(ServiceConfigSchema, {
      PORT: '0',
      LOG_LEVEL: 'info',
      ACCEPTED_CALLERS: `onboarding-process-api:process:${SECRET}`,
      PII_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString('base64'),
    });
    app = Fastify(serviceServerOptions(config, { logStream: logs.stream }));
    await app.register(platform, {
      service: {
        name: 'sample-api',
        title: 'Sample',
        version: '1.0.0',
        description: 'test',
      },
      config,
      acceptedLayers: ['process'],
    });
    app.get<{ Params: { id: string } }>('/v1/onboardings/:id', async (request) => {
      request.log.info({ onboardingId: request.params.id, amountMinor: 123456789012 }, `looked up onboarding ${request.params.id}`);
      request.log.info(`applicant gave SSN 123-45-6789 and bank account 000123456789 with ${JWT} attached`);
      request.log.info(
        {
          note: `routing 021000021, credential onboarding-process-api.${SECRET}`,
        },
        'free text in a field',
      );
      return { id: request.params.id };
    });
    app.get('/v1/explode', async () => {
      throw new Error(`upstream refused token ${JWT} for account 000123456789`);
    });
    await app.ready();
  });
  afterAll(() => app.close());
  beforeEach(() => logs.clear());

  it('logs only allow-listed query values, so a token in ?bearer= never reaches the log', async () => {
    const res = await app.inject({
      url: `/v1/onboardings/${DIGIT_TAIL_ID}?bearer=${JWT}&limit=5&session=abc.def.ghi`,
      headers: caller,
    });
    expect(res.statusCode).toBe(200);
    const text = logs.text();
    expect(text).toContain(`/v1/onboardings/${DIGIT_TAIL_ID}?bearer=[REDACTED]&limit=5&session=[REDACTED]`);
    expect(text).not.toContain(JWT.split('.')[1]);
    expect(text).not.toContain('abc.def.ghi');
  });

  it('cuts JWTs out of messages, fields, error messages and stacks', async () => {
    await app.inject({
      url: `/v1/onboardings/${DIGIT_TAIL_ID}`,
      headers: caller,
    });
    const failed = await app.inject({ url: '/v1/explode', headers: caller });
    expect(failed.statusCode).toBe(500);
    const text = logs.text();
    expect(text).toContain('upstream refused token [REDACTED:jwt]');
    expect(text).toMatch(/"stack":"Error: upstream refused token \[REDACTED:jwt\]/);
    for (const segment of JWT.split('.')) expect(text).not.toContain(segment);
  });

  it('keeps ids searchable — a UUID whose last group is 12 digits, request ids and amounts stay intact', async () => {
    await app.inject({
      url: `/v1/onboardings/${DIGIT_TAIL_ID}`,
      headers: { ...caller, 'x-request-id': 'req-000123456789' },
    });
    const records = logs.records();
    const lookup = records.find((record) => record.msg === `looked up onboarding ${DIGIT_TAIL_ID}`);
    expect(lookup).toMatchObject({
      onboardingId: DIGIT_TAIL_ID,
      amountMinor: 123456789012,
      reqId: 'req-000123456789',
    });
    expect(records.some((record) => (record.req as { url?: string } | undefined)?.url === `/v1/onboardings/${DIGIT_TAIL_ID}`)).toBe(true);
    expect(logs.text()).not.toContain('9d3c-[REDACTED');
  });

  it('still redacts an SSN, a bank account number and a service credential in free text', async () => {
    await app.inject({
      url: `/v1/onboardings/${DIGIT_TAIL_ID}`,
      headers: caller,
    });
    const text = logs.text();
    expect(text).toContain('applicant gave SSN [REDACTED:ssn] and bank account [REDACTED:12]');
    expect(text).toContain('routing [REDACTED:9]');
    expect(text).not.toContain('123-45-6789');
    expect(text).not.toContain('000123456789');
    expect(text).not.toContain(SECRET);
  });
});

describe('createLogScrubber', () => {
  const scrub = createLogScrubber(['configured-secret-value']).text;

  it.each([
    ['a UUID with an all-digit last group', `id ${DIGIT_TAIL_ID}`],
    ['a hex id with a long digit run', 'trace 4bf92f3577b34da6a3ce929d0e0e4736 and 0123456789abcdef'],
    ['an ISO timestamp', 'at 2026-01-31T12:34:56.789Z'],
    ['a request id with digits', 'req-000123456789'],
    ['a hostname with dashes', 'connect account-system-api.bartholomew-internal:3101'],
  ])('leaves %s alone', (_label, text) => {
    expect(scrub(text)).toBe(text);
  });

  it.each([
    ['a dashed SSN', 'ssn=123-45-6789', 'ssn=[REDACTED:ssn]'],
    ['an undashed SSN', '(tax_id)=(123456789)', '(tax_id)=([REDACTED:9])'],
    ['a 17-digit bank account', 'acct 12345678901234567 refused', 'acct [REDACTED:17] refused'],
    ['a bearer header value', 'authorization: Bearer abc.def', 'authorization: Bearer [REDACTED]'],
    ['a two-segment JWT fragment', 'token eyJhbGciOi.secret-token-value', 'token [REDACTED:jwt]'],
    ['a configured secret anywhere', 'smtp login with configured-secret-value failed', 'smtp login with [REDACTED] failed'],
  ])('redacts %s', (_label, text, expected) => {
    expect(scrub(text)).toBe(expected);
  });

  it('replaces unknown query values and odd parameter names in URLs', () => {
    expect(loggableUrl('/v1/x?status=open&from=2026-01-01&access_token=abc&%E0%A4%A=1&cursor=Zm9v')).toBe(
      '/v1/x?status=open&from=2026-01-01&access_token=[REDACTED]&[REDACTED]&cursor=Zm9v',
    );
  });
});
