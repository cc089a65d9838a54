import pg from 'pg';
import type { Onboarding } from '@bartholomew/contracts-onboarding-process';
import { application, buildTestApp, expectProblem, startOnboarding, waitUntil, type TestApp } from '../helper';

/**
 * `GET /v1/onboardings/{id}` as a long poll: the answer is held while the onboarding still has the
 * caller's ETag, and comes as soon as it changes — told by PostgreSQL (LISTEN/NOTIFY), whichever
 * connection made the change. The worker is off: the changes are made here, by SQL, as another
 * replica's workflow would commit them.
 */
describe('following an onboarding with long polls', () => {
  let test: TestApp;
  let sql: pg.Pool;
  beforeAll(async () => {
    test = await buildTestApp(undefined, { env: { WORKFLOW_WORKER_ENABLED: 'false' } });
    sql = new pg.Pool({ connectionString: test.database.url, max: 2 });
    sql.on('error', () => undefined);
  });
  afterAll(async () => {
    await sql.end();
    await test.close();
  });

  const read = (id: string, query = '', endUser = 'user-ada') => test.call({ url: `/v1/onboardings/${id}${query}`, endUser });
  const follow = (id: string, etag: string, waitMs: number) => read(id, `?waitWhileEtag=${encodeURIComponent(etag)}&waitMs=${waitMs}`);
  const timed = async <T>(work: Promise<T>) => {
    const started = Date.now();
    const result = await work;
    return { result, ms: Date.now() - started };
  };

  it('gives every answer an ETag that changes exactly when the onboarding does', async () => {
    const { id } = await startOnboarding(test, application());
    const first = await read(id);
    const again = await read(id);
    expect(first.headers.etag).toMatch(/^"[\w-]{27}"$/);
    expect(again.headers.etag).toBe(first.headers.etag);
    await sql.query("UPDATE onboarding_steps SET state = 'running' WHERE onboarding_id = $1 AND step = 'kyc'", [id]);
    expect((await read(id)).headers.etag).not.toBe(first.headers.etag);
  });

  it('holds the answer until another connection commits a change, then answers it at once', async () => {
    const { id } = await startOnboarding(test, application());
    const { headers } = await read(id);
    const held = timed(follow(id, String(headers.etag), 15_000));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await sql.query("UPDATE onboarding_steps SET state = 'running', attempts = 1 WHERE onboarding_id = $1 AND step = 'kyc'", [id]);
    const { result, ms } = await held;
    expect(result.statusCode).toBe(200);
    expect(result.headers.etag).not.toBe(headers.etag);
    const onboarding: Onboarding = result.json();
    expect(onboarding.timeline.find((step) => step.name === 'kyc')?.state).toBe('running');
    // Answered on the change, not at the end of the 15 s wait.
    expect(ms).toBeGreaterThanOrEqual(250);
    expect(ms).toBeLessThan(10_000);
  });

  it('answers the same onboarding once the wait is over and nothing changed', async () => {
    const { id } = await startOnboarding(test, application());
    const { headers } = await read(id);
    const { result, ms } = await timed(follow(id, String(headers.etag), 400));
    expect(result.statusCode).toBe(200);
    expect(result.headers.etag).toBe(headers.etag);
    expect(ms).toBeGreaterThanOrEqual(350);
  });

  it('does not wait when the caller’s ETag is already out of date', async () => {
    const { id } = await startOnboarding(test, application());
    const { result, ms } = await timed(follow(id, '"an-older-answer"', 15_000));
    expect(result.statusCode).toBe(200);
    expect(result.headers.etag).not.toBe('"an-older-answer"');
    expect(ms).toBeLessThan(10_000);
  });

  it('never holds another user’s onboarding: 404 at once, as for a plain read', async () => {
    const { id } = await startOnboarding(test, application());
    const { headers } = await read(id);
    const { result, ms } = await timed(read(id, `?waitWhileEtag=${encodeURIComponent(String(headers.etag))}&waitMs=15000`, 'user-mallory'));
    expectProblem(result, 404, 'ONBOARDING_NOT_FOUND');
    expect(ms).toBeLessThan(10_000);
  });

  it('refuses a wait out of range with 400, and reads at once when only one of the two is given', async () => {
    const { id } = await startOnboarding(test, application());
    expectProblem(await read(id, '?waitWhileEtag=x&waitMs=0'), 400, 'VALIDATION_FAILED');
    expectProblem(await read(id, '?waitWhileEtag=x&waitMs=20001'), 400, 'VALIDATION_FAILED');
    const { headers } = await read(id);
    const { result, ms } = await timed(read(id, `?waitWhileEtag=${encodeURIComponent(String(headers.etag))}`));
    expect(result.statusCode).toBe(200);
    expect(ms).toBeLessThan(10_000);
  });

  it('answers held reads at once when its LISTEN session is lost, and holds them again once it is back', async () => {
    const { id } = await startOnboarding(test, application());
    const etag = String((await read(id)).headers.etag);
    const held = timed(follow(id, etag, 15_000));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await sql.query(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'onboarding-changes' AND datname = current_database()",
    );
    const released = await held;
    expect(released.result.statusCode).toBe(200);
    expect(released.ms).toBeLessThan(10_000);
    // Reopened with backoff (the first retry after 0.5 s): then a read is held again.
    await waitUntil(
      async () =>
        (await sql.query("SELECT 1 FROM pg_stat_activity WHERE application_name = 'onboarding-changes' AND datname = current_database()"))
          .rowCount === 1,
    );
    // Listening again once a short wait is held in full.
    await waitUntil(async () => (await timed(follow(id, etag, 300))).ms >= 250);
    const heldAgain = timed(follow(id, etag, 15_000));
    await new Promise((resolve) => setTimeout(resolve, 300));
    await sql.query("UPDATE onboarding_steps SET state = 'running' WHERE onboarding_id = $1 AND step = 'kyc'", [id]);
    const { result, ms } = await heldAgain;
    expect(result.headers.etag).not.toBe(etag);
    expect(ms).toBeGreaterThanOrEqual(250);
    expect(
      test.logs
        .records()
        .some((record) => record.msg === 'the onboarding change feed lost its PostgreSQL session; reads answer at once until it is back'),
    ).toBe(true);
  });
});
