import { formatFuzzFailures, fuzzBudget, fuzzOpenApi, publishedOperationIds, injectSender, type FuzzResult } from '@bartholomew/testing';
import { addPaymentMethod, buildTestApp, callers, openBillingAccount, openingRequest, type TestApp } from './helper';

/** Cases per operation (FUZZ_RUNS), sized so this file stays well under a minute on 2 cores; FUZZ_SEED replays a report. */
const budget = fuzzBudget(300);

/**
 * Property-based fuzzing from the service's own OpenAPI document (issue 8, scenario 9): every
 * operation gets schema-valid requests (real and unknown ids), boundary values and hostile input,
 * as a process-layer caller and with no or garbled credentials. The contract: never a 5xx, every
 * 4xx RFC 9457 problem+json with type, title, status and code.
 */
describe('the billing System API under fuzzing', () => {
  let test: TestApp;
  let authenticated: FuzzResult;
  let publishedOperations: string[];
  let anonymous: FuzzResult;

  beforeAll(async () => {
    test = await buildTestApp();
    const document = (await test.app.inject({ url: '/openapi.json' })).json();
    publishedOperations = publishedOperationIds(document);
    const opening = openingRequest();
    const billingAccountId = await openBillingAccount(test, opening);
    const paymentMethodId = await addPaymentMethod(test, billingAccountId);
    const plans = (await test.call({ url: '/v1/fee-plans' })).json() as { items?: Array<{ planCode: string }> } | Array<{ planCode: string }>;
    const planCodes = (Array.isArray(plans) ? plans : (plans.items ?? [])).map((plan) => plan.planCode);
    const knownValues = {
      billingAccountId: [billingAccountId],
      paymentMethodId: [paymentMethodId],
      customerId: [opening.customerId],
      planCode: planCodes,
    };
    const send = injectSender(test.app);
    authenticated = await fuzzOpenApi({
      document,
      send,
      ...budget,
      knownValues,
      authHeaders: () => callers.process,
    });
    anonymous = await fuzzOpenApi({
      document,
      send,
      runs: Math.ceil(budget.runs / 5),
      seed: authenticated.seed,
      knownValues,
    });
  });
  afterAll(() => test?.close());

  it('never answers a process-layer caller with a 5xx or a 4xx that is not a complete problem+json', () => {
    expect(formatFuzzFailures(authenticated)).toEqual([]);
  });

  it('never answers a caller without credentials with a 5xx or a 4xx that is not a complete problem+json', () => {
    expect(formatFuzzFailures(anonymous)).toEqual([]);
    expect(Object.keys(anonymous.byStatus).map(Number)).toContain(401);
  });

  it('gets past validation into the handler of every operation', () => {
    const reached = Object.entries(authenticated.byOperation).filter(([, statuses]) =>
      Object.keys(statuses).some((status) => Number(status) < 400 || [404, 409, 422].includes(Number(status))),
    );
    expect(reached.map(([operationId]) => operationId).sort()).toEqual(Object.keys(authenticated.byOperation).sort());
    // Every operation the service publishes was fuzzed, so a new route cannot slip past this file.
    expect(Object.keys(authenticated.byOperation).sort()).toEqual(publishedOperations);
    expect(publishedOperations.length).toBeGreaterThanOrEqual(11);
  });
});
