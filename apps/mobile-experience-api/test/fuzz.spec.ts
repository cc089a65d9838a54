import { formatFuzzFailures, fuzzBudget, fuzzOpenApi, publishedOperationIds, injectSender, type FuzzResult } from '@bartholomew/testing';
import { startOnboardingStack, type OnboardingStack } from '@bartholomew/test-stack';
import { buildTestApp, pollUntil, settled, startOnboarding, type TestApp } from './helper';

/** Cases per operation (FUZZ_RUNS); FUZZ_SEED replays a report. */
const budget = fuzzBudget(300);
/**
 * Twelve operations since `/v2` (the four "what next" twins) and `GET /v1/products`, each with all its
 * cases: measured 47 s of CPU, 130 s on a 2-core machine at load 11 — past the 60 s hook default.
 */
const FUZZING_MS = 300_000;

/**
 * Property-based fuzzing from the service's own OpenAPI document (issue 8, scenario 9): every
 * operation gets schema-valid requests (the user's real onboarding and account, and unknown ids),
 * boundary values and hostile input, with a valid end-user token and with none or a garbled one,
 * over the real Process and System APIs. The contract: never a 5xx, every 4xx RFC 9457
 * problem+json with type, title, status and code.
 */
describe('the mobile Experience API under fuzzing', () => {
  let stack: OnboardingStack;
  let test: TestApp;
  let signedIn: FuzzResult;
  let publishedOperations: string[];
  let anonymous: FuzzResult;

  beforeAll(async () => {
    stack = await startOnboardingStack();
    test = await buildTestApp({ processUrl: stack.processUrl });
    const document = (await test.app.inject({ url: '/openapi.json' })).json();
    publishedOperations = publishedOperationIds(document);
    const { id } = await startOnboarding(test, 'alice');
    const answer = await pollUntil(test, 'alice', id, settled);
    const knownValues = {
      id: [id],
      accountId: answer.account?.id ? [answer.account.id] : [],
    };
    const authorization = `Bearer ${await test.idp.token('alice')}`;
    const send = injectSender(test.app);
    signedIn = await fuzzOpenApi({
      document,
      send,
      ...budget,
      knownValues,
      authHeaders: () => ({ authorization }),
    });
    anonymous = await fuzzOpenApi({
      document,
      send,
      runs: Math.ceil(budget.runs / 5),
      seed: signedIn.seed,
      knownValues,
    });
  }, FUZZING_MS);
  afterAll(async () => {
    await test?.close();
    await stack?.close();
  });

  it('never answers a signed-in user with a 5xx or a 4xx that is not a complete problem+json', () => {
    expect(formatFuzzFailures(signedIn)).toEqual([]);
  });

  it('never answers a caller without a token with a 5xx or a 4xx that is not a complete problem+json', () => {
    expect(formatFuzzFailures(anonymous)).toEqual([]);
    expect(Object.keys(anonymous.byStatus).map(Number)).toContain(401);
  });

  it('gets past validation into the handler of every operation', () => {
    const reached = Object.entries(signedIn.byOperation).filter(([, statuses]) =>
      Object.keys(statuses).some((status) => Number(status) < 400 || [404, 409, 422].includes(Number(status))),
    );
    expect(reached.map(([operationId]) => operationId).sort()).toEqual(Object.keys(signedIn.byOperation).sort());
    // Every operation the service publishes was fuzzed, so a new route cannot slip past this file.
    expect(Object.keys(signedIn.byOperation).sort()).toEqual(publishedOperations);
    expect(publishedOperations.length).toBeGreaterThanOrEqual(12);
  });
});
