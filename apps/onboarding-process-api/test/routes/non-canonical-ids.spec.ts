import { encodeCursor } from '../../src/onboarding/list-cursor';
import { application, buildTestApp, expectProblem, newKey, type TestApp } from '../helper';

const CANONICAL = '5f0c8a9e-4a8e-4e7b-9d3c-3f1d2b6a7c10';

/**
 * Ids in forms ajv's `uuid` format accepts or PostgreSQL would read differently — `urn:uuid:`,
 * braces, upper case, no dashes, odd dashes — are the caller's mistake: a 400 problem that does
 * not echo the id, never a 500 from the database refusing it.
 */
describe('ids that are not in the canonical form', () => {
  let test: TestApp;
  let onboardingId: string;
  beforeAll(async () => {
    test = await buildTestApp(undefined, {
      env: { WORKFLOW_WORKER_ENABLED: 'false' },
    });
    const res = await test.call({
      method: 'POST',
      url: '/v1/onboardings',
      payload: application(),
      headers: { 'idempotency-key': newKey() },
    });
    onboardingId = res.json().id;
  });
  afterAll(() => test.close());

  const nonCanonical = [
    `urn:uuid:${CANONICAL}`,
    `{${CANONICAL}}`,
    CANONICAL.toUpperCase(),
    CANONICAL.replace(/-/g, ''),
    '5f0c8a9e4a8e-4e7b-9d3c-3f1d-2b6a7c10',
  ];

  const routes = (id: string) => {
    const inPath = encodeURIComponent(id);
    return [
      { method: 'GET' as const, url: `/v1/onboardings/${inPath}` },
      {
        method: 'POST' as const,
        url: `/v1/onboardings/${inPath}/ach-confirmation`,
        payload: { amountsMinor: [32, 45] },
      },
      {
        method: 'POST' as const,
        url: `/v1/onboardings/${inPath}/review`,
        payload: { decision: 'approve', reason: 'checked' },
        as: 'operator' as const,
        endUser: null,
      },
      { method: 'GET' as const, url: `/v1/customers/${inPath}/overview` },
      {
        method: 'GET' as const,
        url: `/v1/customers/${inPath}/accounts/${CANONICAL}/transactions`,
      },
      {
        method: 'GET' as const,
        url: `/v1/customers/${CANONICAL}/accounts/${inPath}/transactions`,
      },
    ];
  };

  it.each(nonCanonical)('answers %s with a 400 problem on every route that takes an id', async (id) => {
    for (const route of routes(id)) {
      const res = await test.call({
        ...route,
        headers: { 'idempotency-key': newKey() },
      });
      expect({
        route: `${route.method} ${route.url}`,
        status: res.statusCode,
      }).toEqual({ route: `${route.method} ${route.url}`, status: 400 });
      expectProblem(res, 400, 'VALIDATION_FAILED');
      expect(res.json().detail).not.toContain(id);
    }
  });

  it('refuses a list cursor whose id is not canonical with 400, not a database error', async () => {
    const cursor = encodeCursor({
      createdAt: new Date(),
      id: `${CANONICAL.replace(/-/g, '')}----`,
    });
    const res = await test.call({
      url: `/v1/onboardings?owner=user-ada&cursor=${cursor}`,
      as: 'operator',
      endUser: null,
    });
    expectProblem(res, 400, 'INVALID_CURSOR');
  });

  it('still serves the canonical form', async () => {
    const res = await test.call({ url: `/v1/onboardings/${onboardingId}` });
    expect(res.statusCode).toBe(200);
    expect(res.json().id).toBe(onboardingId);
  });
});
