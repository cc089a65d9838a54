import { formatFuzzFailures, fuzzBudget, fuzzOpenApi, publishedOperationIds, injectSender, type FuzzResult } from '@bartholomew/testing';
import { application, buildTestApp, callers, isFinal, startOnboarding, waitForOnboarding, type TestApp } from './helper';
import { startSystemApis, type SystemApis } from './support/system-apis';

/** Cases per operation (FUZZ_RUNS), sized so this file stays well under a minute on 2 cores; FUZZ_SEED replays a report. */
const budget = fuzzBudget(300);

/**
 * Property-based fuzzing from the service's own OpenAPI document (issue 8, scenario 9): every
 * operation gets schema-valid requests (a real completed onboarding, its customer and account,
 * and unknown ids), boundary values and hostile input, as the mobile Experience API and as an
 * operator, and with no or garbled credentials. The contract: never a 5xx, every 4xx RFC 9457
 * problem+json with type, title, status and code. The real System APIs run underneath, so valid
 * starts run the workflow.
 */
describe('the onboarding Process API under fuzzing', () => {
  let systemApis: SystemApis;
  let test: TestApp;
  let asExperience: FuzzResult;
  let publishedOperations: string[];
  let asOperator: FuzzResult;
  let anonymous: FuzzResult;

  beforeAll(async () => {
    systemApis = await startSystemApis();
    test = await buildTestApp(systemApis);
    const document = (await test.app.inject({ url: '/openapi.json' })).json();
    publishedOperations = publishedOperationIds(document);
    const started = await startOnboarding(test, application(), 'user-ada');
    const onboarding = await waitForOnboarding(test, started.id, isFinal);
    const knownValues = {
      id: [onboarding.id],
      customerId: onboarding.customerId ? [onboarding.customerId] : [],
      accountId: onboarding.accountId ? [onboarding.accountId] : [],
      owner: ['user-ada'],
      'x-end-user-subject': ['user-ada'],
    };
    const send = injectSender(test.app);
    asExperience = await fuzzOpenApi({
      document,
      send,
      ...budget,
      knownValues,
      authHeaders: () => callers.experience,
    });
    asOperator = await fuzzOpenApi({
      document,
      send,
      runs: Math.ceil(budget.runs / 3),
      seed: asExperience.seed,
      knownValues,
      authHeaders: () => callers.operator,
    });
    anonymous = await fuzzOpenApi({
      document,
      send,
      runs: Math.ceil(budget.runs / 5),
      seed: asExperience.seed,
      knownValues,
    });
  });
  afterAll(async () => {
    await test?.close();
    await systemApis?.close();
  });

  it('never answers the Experience API with a 5xx or a 4xx that is not a complete problem+json', () => {
    expect(formatFuzzFailures(asExperience)).toEqual([]);
  });

  it('never answers an operator with a 5xx or a 4xx that is not a complete problem+json', () => {
    expect(formatFuzzFailures(asOperator)).toEqual([]);
  });

  it('never answers a caller without credentials with a 5xx or a 4xx that is not a complete problem+json', () => {
    expect(formatFuzzFailures(anonymous)).toEqual([]);
    expect(Object.keys(anonymous.byStatus).map(Number)).toContain(401);
  });

  it('gets past validation into the handler of every operation', () => {
    const operations = Object.keys(asExperience.byOperation);
    const reached = operations.filter((operationId) =>
      [asExperience, asOperator].some((result) =>
        Object.keys(result.byOperation[operationId] ?? {}).some((status) => Number(status) < 400 || [404, 409, 422].includes(Number(status))),
      ),
    );
    expect(reached.sort()).toEqual(operations.sort());
    // Every operation the service publishes was fuzzed, so a new route cannot slip past this file.
    expect(operations.sort()).toEqual(publishedOperations);
    expect(publishedOperations.length).toBeGreaterThanOrEqual(10);
  });
});
