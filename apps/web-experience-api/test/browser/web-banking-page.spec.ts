import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { request } from 'undici';
import { startOnboardingStack, type OnboardingStack } from '@bartholomew/test-stack';
import { type TestApp, buildTestApp } from '../helper';
import { application, seedOnboarding } from '../support/seed';

/** Debian's chromium; see .ci/run. As root it needs --no-sandbox; the rest keep it off the (closed) network. */
const CHROMIUM = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};

/** What the page's script could see of an answer — a header the API did not expose reads as null. */
interface PageRead {
  status?: number;
  headers?: Record<string, string | null>;
  body?: unknown;
  refused?: string;
}
interface BankingPage {
  signIn(token: string): void;
  readOverview(options?: { ifNoneMatch?: string }): Promise<PageRead>;
  readDirectly(url: string): Promise<PageRead>;
}

/**
 * Web banking as a browser loads it from its own origin: the token stays in the page's memory and
 * goes only in the Authorization header, so every call to the API is cross-origin with a preflight.
 */
const bankingPage = (apiUrl: string) => `<!doctype html>
<html><head><meta charset="utf-8"><title>Bartholomew Capital web banking</title></head>
<body><script>
  let token;
  const READABLE = ['etag', 'x-request-id', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'content-type'];
  async function read(url, headers) {
    try {
      const res = await fetch(url, { headers });
      const seen = Object.fromEntries(READABLE.map((name) => [name, res.headers.get(name)]));
      const text = await res.text();
      return { status: res.status, headers: seen, body: text ? JSON.parse(text) : null };
    } catch (error) {
      return { refused: String(error) };
    }
  }
  window.signIn = (devToken) => { token = devToken; };
  window.readOverview = ({ ifNoneMatch } = {}) =>
    read(${JSON.stringify(apiUrl)} + '/v1/overview', { authorization: 'Bearer ' + token, ...(ifNoneMatch ? { 'if-none-match': ifNoneMatch } : {}) });
  window.readDirectly = (url) => read(url, { authorization: 'Bearer ' + token });
</script></body></html>`;

/** A static web server for the page: its own port, so its own origin. */
async function servePage(page: () => string): Promise<{ origin: string; server: Server }> {
  const server = createServer((req, res) => {
    res.writeHead(req.url === '/' ? 200 : 404, {
      'content-type': 'text/html; charset=utf-8',
    });
    res.end(req.url === '/' ? page() : '');
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
  };
}

/** A call as the API answered it, seen on its socket (preflights included, which page scripts never see). */
interface SeenCall {
  method: string;
  url: string;
  origin: string | undefined;
  status: number;
  allowOrigin: string | undefined;
}

describe('a web banking page in a real browser (headless Chromium) on another origin', () => {
  let stack: OnboardingStack;
  let test: TestApp;
  let browser: Browser;
  let apiUrl = '';
  let accountId: string;
  const pages: Server[] = [];
  const seen: SeenCall[] = [];
  let webBanking: string;
  let stranger: string;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM.executablePath)) throw new Error(`No ${CHROMIUM.executablePath}: apt-get install -y chromium (as .ci/run does)`);
    const allowed = await servePage(() => bankingPage(apiUrl));
    const other = await servePage(() => bankingPage(apiUrl));
    pages.push(allowed.server, other.server);
    webBanking = allowed.origin;
    stranger = other.origin;

    stack = await startOnboardingStack();
    test = await buildTestApp({
      processUrl: stack.processUrl,
      env: { CORS_ALLOWED_ORIGINS: webBanking },
    });
    test.app.server.on('request', (req, res) => {
      // Fastify hands its headers to writeHead, so they are read there, not with getHeader.
      const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => typeof res;
      res.writeHead = ((status: number, ...rest: unknown[]) => {
        const headers = rest.find((arg): arg is Record<string, unknown> => typeof arg === 'object' && arg !== null) ?? {};
        const allowOrigin = headers['access-control-allow-origin'] ?? res.getHeader('access-control-allow-origin');
        seen.push({
          method: req.method ?? '',
          url: req.url ?? '',
          origin: req.headers.origin,
          status,
          allowOrigin: allowOrigin === undefined ? undefined : String(allowOrigin),
        });
        return writeHead(status, ...rest);
      }) as typeof res.writeHead;
    });
    apiUrl = await test.app.listen({ host: '127.0.0.1', port: 0 });

    const completed = await seedOnboarding(stack, 'ada', application({ deposit: 1000 }));
    expect(completed.status).toBe('completed');
    accountId = completed.accountId as string;

    browser = await chromium.launch(CHROMIUM);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await test?.close();
    await stack?.close();
    for (const server of pages) server.close();
  });

  /** Opens the page from `origin` and signs in with `token` (from the test identity provider the API trusts). */
  async function openSignedIn(origin: string, token: string) {
    const page = await browser.newPage();
    await page.goto(`${origin}/`);
    await page.evaluate((devToken) => (globalThis as unknown as BankingPage).signIn(devToken), token);
    return {
      readOverview: (options?: { ifNoneMatch?: string }) => page.evaluate((o) => (globalThis as unknown as BankingPage).readOverview(o), options),
      readDirectly: (url: string) => page.evaluate((u) => (globalThis as unknown as BankingPage).readDirectly(u), url),
      close: () => page.close(),
    };
  }

  it('signs in and reads the overview through the API, seeing the headers a client needs', async () => {
    const page = await openSignedIn(webBanking, await test.idp.token('ada'));
    const overview = await page.readOverview();
    expect(overview).toEqual({
      status: 200,
      headers: {
        etag: expect.stringMatching(/^"[\w-]+"$/),
        'x-request-id': expect.any(String),
        'x-ratelimit-limit': '10000',
        'x-ratelimit-remaining': expect.stringMatching(/^\d+$/),
        'x-ratelimit-reset': expect.stringMatching(/^\d+$/),
        'content-type': expect.stringMatching(/^application\/json/),
      },
      body: expect.objectContaining({
        accounts: [
          expect.objectContaining({
            accountId,
            ledgerBalance: { amountMinor: 1000, currency: 'USD' },
          }),
        ],
      }),
    });
    // The browser asked first (the bearer token makes the call non-simple) and was allowed.
    const fromPage = seen.filter((call) => call.origin === webBanking && call.url === '/v1/overview');
    expect(
      fromPage.map(({ method, status, allowOrigin }) => ({
        method,
        status,
        allowOrigin,
      })),
    ).toEqual([
      { method: 'OPTIONS', status: 204, allowOrigin: webBanking },
      { method: 'GET', status: 200, allowOrigin: webBanking },
    ]);

    // The ETag it could read revalidates: the page sends it back and gets 304.
    const again = await page.readOverview({
      ifNoneMatch: overview.headers?.etag ?? undefined,
    });
    expect(again.status).toBe(304);
    await page.close();
  });

  it("lets the page read a refusal's problem+json", async () => {
    const page = await openSignedIn(webBanking, await test.idp.forgedToken('ada'));
    const refusal = await page.readOverview();
    expect(refusal).toMatchObject({
      status: 401,
      headers: {
        'content-type': expect.stringMatching(/^application\/problem\+json/),
      },
      body: { code: 'UNAUTHENTICATED' },
    });
    await page.close();
  });

  it('refuses a page from an origin not on the list: the fetch rejects, the API never sent Access-Control-Allow-Origin', async () => {
    const page = await openSignedIn(stranger, await test.idp.token('ada'));
    expect(await page.readOverview()).toEqual({
      refused: expect.stringMatching(/TypeError: Failed to fetch/),
    });
    const fromStranger = seen.filter((call) => call.origin === stranger);
    // Only the preflight reached the API, and it allowed nothing: the browser never sent the read.
    expect(fromStranger.map(({ method, allowOrigin }) => ({ method, allowOrigin }))).toEqual([{ method: 'OPTIONS', allowOrigin: undefined }]);
    await page.close();
  });

  it("keeps web banking's own pages away from the Process API: only the Experience API allows them", async () => {
    const page = await openSignedIn(webBanking, await test.idp.token('ada'));
    expect(await page.readDirectly(`${stack.processUrl}/v1/onboardings`)).toEqual({ refused: expect.stringMatching(/TypeError: Failed to fetch/) });
    await page.close();
  });

  it.each([
    ['onboarding Process API', () => `${stack.processUrl}/v1/onboardings`],
    ['account System API', () => `${stack.accountUrl}/v1/accounts/5f0c8a9e-4a8e-4e7b-9d3c-3f1d2b6a7c10`],
  ])('the %s sends no CORS header at all, even to the allowed origin', async (_name, url) => {
    const answers = await Promise.all([
      request(url(), {
        method: 'OPTIONS',
        headers: {
          origin: webBanking,
          'access-control-request-method': 'GET',
          'access-control-request-headers': 'authorization',
        },
      }),
      request(url(), { headers: { origin: webBanking } }),
    ]);
    for (const answer of answers) {
      await answer.body.dump();
      expect(Object.keys(answer.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
    }
  });

  it('marks reads as varying by Origin as well as by Authorization, so no cache mixes up two origins', async () => {
    const res = await test.app.inject({
      url: '/v1/overview',
      headers: {
        origin: webBanking,
        authorization: `Bearer ${await test.idp.token('ada')}`,
      },
    });
    expect(res.statusCode).toBe(200);
    expect(
      String(res.headers.vary)
        .toLowerCase()
        .split(/\s*,\s*/),
    ).toEqual(expect.arrayContaining(['origin', 'authorization']));
  });
});
