import pg from 'pg';
import type { Onboarding } from '@bartholomew/contracts-onboarding-process';
import { application, buildTestApp, expectProblem, newKey, type TestApp } from '../helper';

/**
 * Acceptance and reads of onboardings, with the workflow worker switched off (this replica only
 * serves the API), so what is checked is exactly what POST committed.
 */
describe('onboarding routes', () => {
  let test: TestApp;
  let sql: pg.Pool;
  beforeAll(async () => {
    test = await buildTestApp(undefined, {
      env: { WORKFLOW_WORKER_ENABLED: 'false' },
    });
    sql = new pg.Pool({ connectionString: test.database.url, max: 3 });
    sql.on('error', () => undefined);
  });
  afterAll(async () => {
    await sql.end();
    await test.close();
  });

  const post = (body: unknown, key: string | undefined = newKey(), endUser: string | null = 'user-ada') =>
    test.call({
      method: 'POST',
      url: '/v1/onboardings',
      payload: body as object,
      headers: key ? { 'idempotency-key': key } : {},
      endUser,
    });
  const count = async () => Number((await sql.query('SELECT count(*) FROM onboardings')).rows[0].count);

  describe('POST /v1/onboardings', () => {
    it('accepts an application with 202, a Location and the onboarding with its PII masked', async () => {
      const body = application({
        ssn: '123-45-6780',
        accountNumber: '000123456789',
      });
      const res = await post(body);
      expect(res.statusCode).toBe(202);
      const onboarding: Onboarding = res.json();
      expect(res.headers.location).toBe(`/v1/onboardings/${onboarding.id}`);
      expect(onboarding).toMatchObject({
        status: 'pending',
        owner: 'user-ada',
        applicant: {
          legalName: 'Ada Lovelace',
          email: 'ada@example.com',
          ssnLast4: '6780',
        },
        fundingAccountMasked: {
          routingNumber: body.fundingAccount.routingNumber,
          accountNumberMasked: '•••6789',
          accountType: 'checking',
        },
        openingDeposit: { amountMinor: 2500, currency: 'USD' },
      });
      expect(onboarding.timeline.map((step) => [step.name, step.state])).toEqual([
        ['kyc', 'pending'],
        ['ach_verification', 'pending'],
        ['open_account', 'pending'],
        ['billing_setup', 'pending'],
        ['opening_deposit', 'pending'],
        ['welcome_email', 'pending'],
      ]);
      expect(res.body).not.toContain('123-45-6780');
      expect(res.body).not.toContain('000123456789');
    });

    it('stores the SSN and the funding account number only encrypted, and enqueues the first workflow run with it', async () => {
      const res = await post(application({ ssn: '234-56-7890', accountNumber: '555566667777' }));
      const { id } = res.json();
      const { rows } = await sql.query('SELECT row_to_json(o)::text AS text FROM onboardings o WHERE onboarding_id = $1', [id]);
      expect(rows[0].text).not.toMatch(/234-?56-?7890|555566667777/);
      const jobs = await sql.query(`SELECT count(*) FROM graphile_worker.jobs WHERE key = $1`, [`onboarding:${id}`]);
      expect(Number(jobs.rows[0].count)).toBe(1);
    });

    it('skips the opening deposit step from the start when none is requested', async () => {
      const res = await post(application({ deposit: null }));
      const steps = (res.json() as Onboarding).timeline;
      expect(steps.find((step) => step.name === 'opening_deposit')?.state).toBe('skipped');
      expect(res.json().openingDeposit).toBeUndefined();
    });

    it('answers a replay of the same key and body with the original answer, and creates nothing more', async () => {
      const key = newKey();
      const body = application();
      const first = await post(body, key);
      const before = await count();
      const again = await post(body, key);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      expect(again.statusCode).toBe(202);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.headers.location).toBe(first.headers.location);
      expect(again.json()).toEqual(first.json());
      expect(await count()).toBe(before);
    });

    it('declares the replay header on its 202 in the OpenAPI document, so generated clients can read it', async () => {
      const doc = (await test.app.inject({ url: '/openapi.json' })).json();
      const accepted = doc.paths['/v1/onboardings'].post.responses['202'];
      expect(accepted.headers['Idempotent-Replayed']).toMatchObject({ schema: { type: 'string', enum: ['true'] } });
    });

    it('refuses the same key with a different body with 422', async () => {
      const key = newKey();
      await post(application(), key);
      expectProblem(await post(application({ legalName: 'Grace Hopper' }), key), 422, 'IDEMPOTENCY_KEY_REUSED');
    });

    it('keeps keys apart per end user: the same key from another end user starts their own onboarding', async () => {
      const key = newKey();
      const body = application();
      const ada = await post(body, key, 'user-ada');
      const grace = await post(body, key, 'user-grace');
      expect(grace.statusCode).toBe(202);
      expect(grace.json().id).not.toBe(ada.json().id);
      expect(grace.json().owner).toBe('user-grace');
    });

    it('answers 409 while the first request with the key is still being accepted', async () => {
      const key = newKey();
      const client = await sql.connect();
      try {
        // Hold the key's lock the way an in-flight first request does.
        await client.query('SELECT pg_advisory_lock(hashtext($1), hashtext($2))', ['mobile-experience-api:user-ada:start-onboarding', key]);
        const res = await post(application(), key);
        expectProblem(res, 409, 'IDEMPOTENT_REQUEST_IN_PROGRESS');
      } finally {
        await client.query('SELECT pg_advisory_unlock_all()');
        client.release();
      }
      expect((await post(application(), key)).statusCode).toBe(202);
    });

    it('makes one onboarding of 20 concurrent identical requests', async () => {
      const key = newKey();
      const body = application();
      const before = await count();
      const answers = await Promise.all(Array.from({ length: 20 }, () => post(body, key)));
      const accepted = answers.filter((res) => res.statusCode === 202);
      expect(accepted.length).toBeGreaterThanOrEqual(1);
      expect(new Set(accepted.map((res) => res.json().id)).size).toBe(1);
      for (const res of answers.filter((r) => r.statusCode !== 202)) expectProblem(res, 409, 'IDEMPOTENT_REQUEST_IN_PROGRESS');
      expect(await count()).toBe(before + 1);
    });

    it.each([
      ['a missing Idempotency-Key', undefined, 400, 'VALIDATION_FAILED'],
      ['a malformed Idempotency-Key', 'short', 400, 'VALIDATION_FAILED'],
      ['an Idempotency-Key with spaces', 'has spaces in it', 400, 'VALIDATION_FAILED'],
    ])('refuses %s with 400', async (_label, key, status, code) => {
      const before = await count();
      const res = await test.call({
        method: 'POST',
        url: '/v1/onboardings',
        payload: application(),
        headers: key ? { 'idempotency-key': key } : {},
      });
      expectProblem(res, status, code);
      expect(await count()).toBe(before);
    });

    it('needs to know the end user it is for', async () => {
      expectProblem(await post(application(), newKey(), null), 400, 'END_USER_REQUIRED');
      expectProblem(
        await test.call({
          method: 'POST',
          url: '/v1/onboardings',
          payload: application(),
          headers: { 'idempotency-key': newKey() },
          as: 'operator',
          endUser: null,
        }),
        400,
        'END_USER_REQUIRED',
      );
    });
  });

  describe('GET /v1/onboardings/{id}', () => {
    let onboarding: Onboarding;
    beforeAll(async () => {
      onboarding = (await post(application())).json();
    });

    it('shows the owner their onboarding', async () => {
      const res = await test.call({ url: `/v1/onboardings/${onboarding.id}` });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        id: onboarding.id,
        status: 'pending',
        owner: 'user-ada',
      });
    });

    it('answers 404 to another end user, exactly as for an onboarding that does not exist', async () => {
      const foreign = await test.call({
        url: `/v1/onboardings/${onboarding.id}`,
        endUser: 'user-mallory',
      });
      const missing = await test.call({
        url: '/v1/onboardings/00000000-0000-4000-8000-000000000000',
        endUser: 'user-mallory',
      });
      expectProblem(foreign, 404, 'ONBOARDING_NOT_FOUND');
      expectProblem(missing, 404, 'ONBOARDING_NOT_FOUND');
    });

    it('shows operators any onboarding', async () => {
      const res = await test.call({
        url: `/v1/onboardings/${onboarding.id}`,
        as: 'operator',
        endUser: null,
      });
      expect(res.statusCode).toBe(200);
    });
  });

  describe('GET /v1/onboardings?owner=', () => {
    beforeAll(async () => {
      for (let i = 0; i < 3; i++) await post(application(), newKey(), 'user-lister');
    });

    it('pages through an owner’s onboardings, newest first, without repeats', async () => {
      const first = await test.call({
        url: '/v1/onboardings?owner=user-lister&limit=2',
        endUser: 'user-lister',
      });
      expect(first.statusCode).toBe(200);
      expect(first.json().items).toHaveLength(2);
      expect(first.json().nextCursor).toEqual(expect.any(String));
      const second = await test.call({
        url: `/v1/onboardings?owner=user-lister&limit=2&cursor=${first.json().nextCursor}`,
        endUser: 'user-lister',
      });
      expect(second.json().items).toHaveLength(1);
      expect(second.json().nextCursor).toBeNull();
      const ids = [...first.json().items, ...second.json().items].map((item: Onboarding) => item.id);
      expect(new Set(ids).size).toBe(3);
      const created = [...first.json().items, ...second.json().items].map((item: Onboarding) => item.createdAt);
      expect([...created].sort().reverse()).toEqual(created);
    });

    it('filters by status', async () => {
      const res = await test.call({
        url: '/v1/onboardings?owner=user-lister&status=completed',
        endUser: 'user-lister',
      });
      expect(res.json().items).toEqual([]);
    });

    it('refuses an end user listing someone else’s onboardings', async () => {
      expectProblem(
        await test.call({
          url: '/v1/onboardings?owner=user-lister',
          endUser: 'user-mallory',
        }),
        403,
        'OWNER_MISMATCH',
      );
    });

    it('lets operators list any owner', async () => {
      const res = await test.call({
        url: '/v1/onboardings?owner=user-lister',
        as: 'operator',
        endUser: null,
      });
      expect(res.json().items).toHaveLength(3);
    });

    it('refuses a cursor it did not issue', async () => {
      expectProblem(
        await test.call({
          url: '/v1/onboardings?owner=user-lister&cursor=bm9wZQ',
          endUser: 'user-lister',
        }),
        400,
        'INVALID_CURSOR',
      );
      // A position the database could not even compare (a Date, but far outside its range of years).
      const outOfRange = Buffer.from('-271821-04-20T00:00:00.000Z|5f0c8a9e-4a8e-4e7b-9d3c-3f1d2b6a7c10').toString('base64url');
      expectProblem(
        await test.call({
          url: `/v1/onboardings?owner=user-lister&cursor=${outOfRange}`,
          endUser: 'user-lister',
        }),
        400,
        'INVALID_CURSOR',
      );
    });

    it('reads the steps of a whole page in one query, however many onboardings the page holds', async () => {
      // Counts the statements the service sends through the app's own pool (the worker is off here).
      const query = jest.spyOn(test.app.db.pool, 'query');
      const statementsFor = async (limit: number) => {
        query.mockClear();
        const res = await test.call({
          url: `/v1/onboardings?owner=user-lister&limit=${limit}`,
          endUser: 'user-lister',
        });
        expect(res.statusCode).toBe(200);
        expect(res.json().items).toHaveLength(limit);
        expect(res.json().items.every((item: Onboarding) => item.timeline.length > 0)).toBe(true);
        const sql = query.mock.calls.map(([text]) => String(typeof text === 'string' ? text : (text as { text: string }).text));
        return {
          total: sql.length,
          steps: sql.filter((text) => /\bonboarding_steps\b/.test(text)).length,
        };
      };
      try {
        expect(await statementsFor(1)).toEqual({ total: 2, steps: 1 });
        expect(await statementsFor(3)).toEqual({ total: 2, steps: 1 });
      } finally {
        query.mockRestore();
      }
      // Each onboarding of the page got its own timeline, as reading it alone shows.
      const listed: Onboarding[] = (
        await test.call({
          url: '/v1/onboardings?owner=user-lister&limit=3',
          endUser: 'user-lister',
        })
      ).json().items;
      for (const onboarding of listed) {
        expect(
          (
            await test.call({
              url: `/v1/onboardings/${onboarding.id}`,
              endUser: 'user-lister',
            })
          ).json(),
        ).toEqual(onboarding);
      }
    });
  });
});
