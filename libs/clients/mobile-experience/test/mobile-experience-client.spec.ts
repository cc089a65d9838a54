import { MobileApiError, MobileExperienceClient, MobileNetworkError, type Fetch } from '../src';

interface Sent {
  url: string;
  init: RequestInit;
}

/** A scripted fetch: answers in order, records what was sent. */
function scriptedFetch(...answers: Array<Response | Error | (() => Promise<Response>)>): { fetch: Fetch; sent: Sent[] } {
  const sent: Sent[] = [];
  const fetch: Fetch = async (url, init) => {
    sent.push({ url, init });
    const answer = answers.shift();
    if (!answer) throw new Error('no more scripted answers');
    if (answer instanceof Error) throw answer;
    return typeof answer === 'function' ? answer() : answer;
  };
  return { fetch, sent };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
const problem = (status: number, code: string, headers: Record<string, string> = {}, extra: object = {}) =>
  new Response(JSON.stringify({ type: `urn:problem:${code}`, title: 'Problem', status, code, detail: 'why', ...extra }), {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  });
const headerOf = (sent: Sent, name: string) => new Headers(sent.init.headers).get(name);

const ID = '5f0c8a9e-4a8e-4e7b-9d3c-3f1d2b6a7c10';

describe('MobileExperienceClient', () => {
  it('asks the app for a token before each call and sends it as a bearer header, never in the URL', async () => {
    const { fetch, sent } = scriptedFetch(json({ accounts: [] }), json({ accounts: [] }));
    let issued = 0;
    const client = new MobileExperienceClient({ baseUrl: 'https://api.test/', getToken: async () => `token-${++issued}`, fetch });
    await client.getHome();
    await client.getBilling().catch(() => undefined);
    expect(sent.map((call) => headerOf(call, 'authorization'))).toEqual(['Bearer token-1', 'Bearer token-2']);
    expect(sent[0].url).toBe('https://api.test/v1/home');
    expect(sent.every((call) => !call.url.includes('token'))).toBe(true);
  });

  it('passes the idempotency key and the form as JSON when starting an onboarding', async () => {
    const { fetch, sent } = scriptedFetch(json({ id: ID, next: 'processing', pollAfterSeconds: 2 }, 202));
    const client = new MobileExperienceClient({ baseUrl: 'https://api.test', getToken: () => 't', fetch });
    const form = { firstName: 'Ada' } as never;
    await expect(client.startOnboarding(form, { idempotencyKey: 'submission-1' })).resolves.toEqual({
      id: ID,
      next: 'processing',
      pollAfterSeconds: 2,
    });
    expect(sent[0].init.method).toBe('POST');
    expect(sent[0].url).toBe('https://api.test/v2/onboardings');
    expect(headerOf(sent[0], 'idempotency-key')).toBe('submission-1');
    expect(headerOf(sent[0], 'content-type')).toBe('application/json');
    expect(JSON.parse(sent[0].init.body as string)).toEqual({ firstName: 'Ada' });
  });

  it('opens another account with only what is new, at /v2 with its idempotency key', async () => {
    const { fetch, sent } = scriptedFetch(json({ id: ID, next: 'processing', pollAfterSeconds: 2 }, 202));
    const client = new MobileExperienceClient({ baseUrl: 'https://api.test', getToken: () => 't', fetch });
    const form = {
      account: 'savings',
      plan: 'everyday-savings',
      bank: { routingNumber: '011000015', accountNumber: '12345678', type: 'savings' },
    } as const;
    await expect(client.openAccount(form, { idempotencyKey: 'another-1' })).resolves.toMatchObject({ next: 'processing' });
    expect({ url: sent[0].url, method: sent[0].init.method, key: headerOf(sent[0], 'idempotency-key') }).toEqual({
      url: 'https://api.test/v2/accounts',
      method: 'POST',
      key: 'another-1',
    });
    expect(JSON.parse(sent[0].init.body as string)).toEqual(form);
  });

  it('reads the next step from /v2, typed so that each screen has exactly its fields', async () => {
    const welcome = { id: ID, next: 'welcome', account: { id: ID, number: '•••4821' } };
    const { fetch, sent } = scriptedFetch(
      json(welcome),
      json({ id: ID, next: 'failed', reason: { code: 'SOMETHING_WENT_WRONG', message: 'Try later' } }),
    );
    const client = new MobileExperienceClient({ baseUrl: 'https://api.test', getToken: () => 't', fetch });
    const screens: string[] = [];
    for (const answer of [await client.getNextStep(ID), await client.confirmDeposits(ID, [32, 45])]) {
      // Narrowing on `next` is what the union is for: `account` exists only on `welcome`, `reason` only on refusals.
      if (answer.next === 'welcome') screens.push(`welcome ${answer.account.number}`);
      else if (answer.next === 'failed' || answer.next === 'rejected') screens.push(`${answer.next} ${answer.reason.code}`);
    }
    expect(screens).toEqual(['welcome •••4821', 'failed SOMETHING_WENT_WRONG']);
    expect(sent.map((call) => call.url)).toEqual([`https://api.test/v2/onboardings/${ID}`, `https://api.test/v2/onboardings/${ID}/deposits`]);
  });

  it('lists the products the forms may offer, revalidated like every read', async () => {
    const catalogue = {
      products: [
        {
          account: 'checking',
          plans: [
            {
              plan: 'basic-checking',
              name: 'Basic Checking',
              description: 'Everyday checking with no monthly fee.',
              monthlyFeeCents: 0,
              currency: 'USD',
            },
          ],
          initialDepositCents: { min: 1, max: 2_500_000 },
        },
      ],
    };
    const { fetch, sent } = scriptedFetch(json(catalogue, 200, { etag: '"c1"' }), new Response(null, { status: 304 }));
    const client = new MobileExperienceClient({ baseUrl: 'https://api.test', getToken: () => 't', fetch });
    const first = await client.listProducts();
    expect(first.products[0].plans.map((plan) => plan.plan)).toEqual(['basic-checking']);
    expect(await client.listProducts()).toBe(first);
    expect(sent.map((call) => [call.url, headerOf(call, 'if-none-match')])).toEqual([
      ['https://api.test/v1/products', null],
      ['https://api.test/v1/products', '"c1"'],
    ]);
  });

  it('revalidates a read with its ETag and reuses the copy it holds on 304', async () => {
    const home = { accounts: [{ id: ID }] };
    const { fetch, sent } = scriptedFetch(json(home, 200, { etag: '"v1"' }), new Response(null, { status: 304, headers: { etag: '"v1"' } }));
    const client = new MobileExperienceClient({ baseUrl: 'https://api.test', getToken: () => 't', fetch });
    const first = await client.getHome();
    const second = await client.getHome();
    expect(headerOf(sent[0], 'if-none-match')).toBeNull();
    expect(headerOf(sent[1], 'if-none-match')).toBe('"v1"');
    expect(second).toEqual(home);
    expect(second).toBe(first);
  });

  it('follows an onboarding with long polls: Prefer: wait with the last ETag, the held screen again on 304', async () => {
    const processing = { id: ID, next: 'processing', pollAfterSeconds: 2 };
    const welcome = { id: ID, next: 'welcome', account: { id: ID } };
    const { fetch, sent } = scriptedFetch(
      json(processing, 200, { etag: '"s1"' }),
      new Response(null, { status: 304, headers: { etag: '"s1"' } }),
      json(welcome, 200, { etag: '"s2"' }),
    );
    const client = new MobileExperienceClient({ baseUrl: 'https://api.test', getToken: () => 't', fetch });
    expect(await client.followNextStep(ID)).toEqual(processing);
    expect(await client.followNextStep(ID, { waitSeconds: 3 })).toEqual(processing);
    expect(await client.followNextStep(ID, { waitSeconds: 600 })).toEqual(welcome);
    expect(sent.map((call) => [call.url, headerOf(call, 'prefer'), headerOf(call, 'if-none-match')])).toEqual([
      [`https://api.test/v2/onboardings/${ID}`, 'wait=10', null],
      [`https://api.test/v2/onboardings/${ID}`, 'wait=3', '"s1"'],
      [`https://api.test/v2/onboardings/${ID}`, 'wait=60', '"s1"'],
    ]);
  });

  it('gives a held read its wait on top of the timeout, so a long poll is not cut short', async () => {
    jest.useFakeTimers();
    try {
      let aborted = false;
      const fetch: Fetch = (_url, init) =>
        new Promise((resolve, reject) => {
          init.signal?.addEventListener('abort', () => {
            aborted = true;
            reject(new DOMException('aborted', 'AbortError'));
          });
          setTimeout(() => resolve(json({ id: ID, next: 'processing', pollAfterSeconds: 2 })), 12_000);
        });
      const client = new MobileExperienceClient({ baseUrl: 'https://api.test', getToken: () => 't', fetch, timeoutMs: 1_000 });
      const followed = client.followNextStep(ID, { waitSeconds: 10 });
      await jest.advanceTimersByTimeAsync(12_000);
      await expect(followed).resolves.toMatchObject({ next: 'processing' });
      expect(aborted).toBe(false);
    } finally {
      jest.useRealTimers();
    }
  });

  it('turns a problem answer into a MobileApiError with its code, extensions and Retry-After', async () => {
    const { fetch } = scriptedFetch(
      problem(422, 'MICRO_DEPOSIT_AMOUNTS_MISMATCH', { 'x-request-id': 'req-1' }, { attemptsLeft: 2 }),
      problem(503, 'SERVICE_UNAVAILABLE', { 'retry-after': '7' }),
      problem(401, 'UNAUTHENTICATED'),
    );
    const client = new MobileExperienceClient({ baseUrl: 'https://api.test', getToken: () => 't', fetch });
    const mismatch = await client.confirmDeposits(ID, [1, 2]).catch((error: unknown) => error);
    expect(mismatch).toBeInstanceOf(MobileApiError);
    expect(mismatch).toMatchObject({ status: 422, code: 'MICRO_DEPOSIT_AMOUNTS_MISMATCH', requestId: 'req-1', problem: { attemptsLeft: 2 } });
    const down = await client.getHome().catch((error: unknown) => error);
    expect(down).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE', retryAfterSeconds: 7, isRetryable: true });
    const signedOut = await client.getHome().catch((error: unknown) => error);
    expect(signedOut).toMatchObject({ isUnauthenticated: true, isRetryable: false });
  });

  it('reports no answer as a MobileNetworkError, and a hung call as timed out', async () => {
    const hanging: Fetch = (_url, init) =>
      new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(new Error('aborted'))));
    const offline = new MobileExperienceClient({
      baseUrl: 'https://api.test',
      getToken: () => 't',
      fetch: scriptedFetch(new TypeError('fetch failed')).fetch,
    });
    await expect(offline.getHome()).rejects.toMatchObject({ name: 'MobileNetworkError', timedOut: false });
    const slow = new MobileExperienceClient({ baseUrl: 'https://api.test', getToken: () => 't', fetch: hanging, timeoutMs: 50 });
    const started = Date.now();
    await expect(slow.getHome()).rejects.toMatchObject({ name: 'MobileNetworkError', timedOut: true });
    expect(Date.now() - started).toBeLessThan(900);
  });

  it('does not mistake an HTML error page for the API', async () => {
    const { fetch } = scriptedFetch(new Response('<html>502 Bad Gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } }));
    const client = new MobileExperienceClient({ baseUrl: 'https://api.test', getToken: () => 't', fetch });
    await expect(client.getHome()).rejects.toBeInstanceOf(MobileNetworkError);
  });

  it('encodes ids and page options into the path', async () => {
    const { fetch, sent } = scriptedFetch(json({}));
    const client = new MobileExperienceClient({ baseUrl: 'https://api.test', getToken: () => 't', fetch });
    await client.getAccount('a/b', { cursor: 'abc_-1', limit: 5 });
    expect(sent[0].url).toBe('https://api.test/v1/accounts/a%2Fb?cursor=abc_-1&limit=5');
  });
});
