import { randomInt, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as delay } from 'node:timers/promises';
import { loadServiceManifest } from '@bartholomew/stack-checks';
import { runCoreMigration, type CoreMigrationRun } from './support/core-migration';
import { startStack, type Stack } from './support/stack';

/**
 * Issues 5 and 10, end to end: the six services of services.json as separate processes (their built
 * bundles), real HTTP between them, a PostgreSQL database per service, welcome emails at a real SMTP
 * server, end users with bearer tokens — driven only through the two Experience APIs, as the phone
 * and the browser would. Black box: nothing here imports a service's code.
 *
 * Core banking, both backends, one stack: the whole suite runs with the account System API on its
 * default backend (its own PostgreSQL ledger); then only that service is restarted with
 * CORE_BANKING_BACKEND=mainframe (on the same port, a fresh database) and the journey runs again
 * through the core-banking gateway, every other process — the gateway, billing, the Process and
 * Experience APIs — left running as it was. Last, the move to a cloud core: that service is stopped,
 * `npm run migrate:core` moves the mainframe's data into its database, and it starts again on the
 * PostgreSQL core; the mainframe customer's screens are the same. The timings of each part are
 * printed at the end.
 */

type CoreBankingBackend = 'postgres' | 'mainframe';
const MANIFEST = loadServiceManifest();
const ACCOUNT_SYSTEM_API = 'account-system-api';
const GATEWAY = 'core-banking-gateway';

const ALL_STEPS = ['kyc', 'ach_verification', 'open_account', 'billing_setup', 'opening_deposit', 'welcome_email'];
/** Sandbox values of the Process API (apps/onboarding-process-api/src/kyc/README.md, src/ach-verification/README.md). */
const INSTANT_ROUTING = '011000015';
const MICRO_DEPOSIT_ROUTING = '021000021';
const KYC_REJECTED_SSN = '123-45-0001';
/** Longer than the Experience APIs' READ_CACHE_MS (default 1000 ms): a read after this reaches the layers below. */
const READ_CACHE_WAIT_MS = 1_100;

interface Reply<T = unknown> {
  status: number;
  contentType: string;
  location: string | null;
  body: T;
}

interface NextStepAnswer {
  id: string;
  next: 'processing' | 'verify_deposits' | 'in_review' | 'welcome' | 'rejected' | 'failed';
  pollAfterSeconds?: number;
  deposits?: { attemptsLeft: number; expiresAt: string };
  reason?: { code: string; message: string };
  account?: { id: string; number: string };
}

interface Home {
  firstName?: string;
  accounts: Array<{ id: string; number: string; balance: number; available: number; currency: string }>;
  onboarding?: { id: string; next: NextStepAnswer['next'] };
}

interface Application {
  id: string;
  status: string;
  result?: { customerId?: string; accountId?: string };
  timeline: Array<{ step: string; label: string; state: string; attempts: number }>;
}

interface ApplicationList {
  items: Array<{ id: string; status: string }>;
}

interface Overview {
  profile: { legalName: string };
  accounts: Array<{ accountId: string; accountNumberMasked: string; productType: string; ledgerBalance: { amountMinor: number; currency: string } }>;
  billingAccounts: Array<{ accountId: string; paymentMethods: unknown[] }>;
  unavailable: string[];
}

interface Onboarded {
  sub: string;
  token: string;
  email: string;
  submitted: Reply<NextStepAnswer>;
  /** The answers seen while polling, in order (without repeats). */
  seen: NextStepAnswer['next'][];
  final: NextStepAnswer;
}

let stack: Stack | undefined;
/** How long each part took, printed after the run so CI's figures can be quoted. */
const timings: Array<{ phase: string; ms: number }> = [];

/** Times a describe block from its first hook to its last (the tests in it, as Jest ran them). */
function timePhase(phase: string): void {
  let started = 0;
  beforeAll(() => {
    started = performance.now();
  });
  afterAll(() => {
    timings.push({ phase, ms: performance.now() - started });
  });
}

beforeAll(async () => {
  const started = performance.now();
  stack = await startStack();
  timings.push({ phase: `stack started (${MANIFEST.services.length} services, core banking postgres)`, ms: performance.now() - started });
});

afterAll(async () => {
  const started = performance.now();
  await stack?.close();
  timings.push({ phase: 'stack stopped', ms: performance.now() - started });
  const width = Math.max(...timings.map(({ phase }) => phase.length));
  console.log(`e2e timings per backend:\n${timings.map(({ phase, ms }) => `  ${phase.padEnd(width)}  ${(ms / 1000).toFixed(1)} s`).join('\n')}`);
});

function running(): Stack {
  if (!stack) throw new Error('the stack did not start');
  return stack;
}

async function call<T>(
  baseUrl: string,
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply<T>> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    location: res.headers.get('location'),
    body: (text ? JSON.parse(text) : undefined) as T,
  };
}

const mobile = <T = Home>(method: string, path: string, token: string | null, body?: unknown, headers?: Record<string, string>) =>
  call<T>(running().mobileUrl, method, path, token, body, headers);
const web = <T = Application>(method: string, path: string, token: string | null) => call<T>(running().webUrl, method, path, token);

/** Transactions the core-banking gateway has answered since it started (gateway_requests_total, every code). */
async function gatewayTransactions(): Promise<number> {
  const metrics = await fetch(`${running().services[GATEWAY]?.baseUrl}/metrics`).then((res) => res.text());
  return metrics
    .split('\n')
    .filter((line) => line.startsWith('gateway_requests_total{'))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

function expectProblem(reply: Reply<unknown>, status: number): void {
  expect({ status: reply.status, contentType: reply.contentType }).toEqual({
    status,
    contentType: expect.stringMatching(/^application\/problem\+json/),
  });
  expect(reply.body).toMatchObject({ status });
}

/** An SSN no sandbox test value uses (area 200–599): a new bank customer, approved by KYC. */
const freshSsn = () => `${randomInt(200, 600)}-${String(randomInt(1, 100)).padStart(2, '0')}-${String(randomInt(1, 9999)).padStart(4, '0')}`;

function signUpForm(options: { firstName: string; email: string; ssn?: string; routingNumber: string; accountNumber: string; depositCents: number }) {
  return {
    firstName: options.firstName,
    lastName: 'Lovelace',
    dateOfBirth: '1990-04-01',
    ssn: options.ssn ?? freshSsn(),
    email: options.email,
    phone: '+12125550123',
    address: { street: '1 Main St', city: 'New York', state: 'NY', zip: '10001' },
    account: 'checking',
    plan: 'basic-checking',
    bank: { routingNumber: options.routingNumber, accountNumber: options.accountNumber, type: 'checking' },
    initialDepositCents: options.depositCents,
  };
}

/** Polls "what to show next" like the app does, until it is one of `until` (or a dead end it did not expect). */
async function pollUntil(token: string, id: string, until: NextStepAnswer['next'][], seen: NextStepAnswer['next'][] = []): Promise<NextStepAnswer> {
  const deadline = Date.now() + 45_000;
  let last: Reply<NextStepAnswer> | undefined;
  while (Date.now() < deadline) {
    last = await mobile<NextStepAnswer>('GET', `/v1/onboardings/${id}`, token);
    expect(last.status).toBe(200);
    if (seen.at(-1) !== last.body.next) seen.push(last.body.next);
    if (until.includes(last.body.next)) return last.body;
    if (['welcome', 'rejected', 'failed'].includes(last.body.next)) break;
    await delay(150);
  }
  throw new Error(`onboarding ${id} never reached ${until.join('/')}: ${JSON.stringify(last?.body)}`);
}

/** Submits the sign-up form on the mobile API as a new end user and follows it to `until`. */
async function submit(name: string, form: ReturnType<typeof signUpForm>, until: NextStepAnswer['next'][]): Promise<Onboarded> {
  const sub = `${name}-${randomUUID()}`;
  const token = await running().issuer.token(sub);
  const submitted = await mobile<NextStepAnswer>('POST', '/v1/onboardings', token, form, { 'idempotency-key': randomUUID() });
  expect(submitted.status).toBe(202);
  const seen: NextStepAnswer['next'][] = [];
  const final = await pollUntil(token, submitted.body.id, until, seen);
  return { sub, token, email: form.email, submitted, seen, final };
}

/** Mail the SMTP server received for `email`, after giving a duplicate time to arrive. */
async function mailFor(email: string, expectAtLeastOne = true): Promise<Array<{ to: string[]; subject?: string }>> {
  const smtp = running().smtp;
  const deadline = Date.now() + 15_000;
  while (expectAtLeastOne && Date.now() < deadline && !smtp.messages.some((mail) => mail.to.includes(email))) await delay(50);
  await delay(750);
  return smtp.messages.filter((mail) => mail.to.includes(email));
}

// Each scenario can run alone (`-t`); run together, the customers are onboarded once and shared.
const journeyOnboardings: Partial<Record<CoreBankingBackend, Promise<Onboarded>>> = {};
let bobOnboarding: Promise<Onboarded> | undefined;
const ALICE_DEPOSIT = 2500;
const BOB_DEPOSIT = 5000;

/** Ada, the customer of the journey on one backend: instant ACH verification. */
const journeyCustomer = (backend: CoreBankingBackend) =>
  (journeyOnboardings[backend] ??= submit(
    'alice',
    signUpForm({
      firstName: 'Ada',
      email: `alice-${randomUUID()}@example.com`,
      routingNumber: INSTANT_ROUTING,
      accountNumber: `7${randomInt(1e8, 1e9)}7`,
      depositCents: ALICE_DEPOSIT,
    }),
    ['welcome'],
  ));
/** Alice, the journey's customer on the default backend, whom the rest of the suite reuses. */
const alice = () => journeyCustomer('postgres');

/** Bob: micro-deposits (account number ending 3245 → 32 and 45 cents), confirmed. */
const bob = () =>
  (bobOnboarding ??= (async () => {
    const form = signUpForm({
      firstName: 'Bob',
      email: `bob-${randomUUID()}@example.com`,
      routingNumber: MICRO_DEPOSIT_ROUTING,
      accountNumber: `${randomInt(10000, 100000)}3245`,
      depositCents: BOB_DEPOSIT,
    });
    const pending = await submit('bob', form, ['verify_deposits']);
    expect(pending.final.deposits).toMatchObject({ attemptsLeft: 3, expiresAt: expect.any(String) });
    const confirmed = await mobile<NextStepAnswer>('POST', `/v1/onboardings/${pending.submitted.body.id}/deposits`, pending.token, {
      amounts: [32, 45],
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.id).toBe(pending.submitted.body.id);
    const final = await pollUntil(pending.token, pending.submitted.body.id, ['welcome'], pending.seen);
    return { ...pending, final };
  })());

/**
 * The journey, one describe: a mobile user onboards, sees the home screen, and the web app shows the
 * same customer. The whole suite runs it on the default backend; the mainframe run repeats only this.
 */
function describeJourney(backend: CoreBankingBackend): void {
  describe(`the journey on core banking "${backend}": mobile onboarding, home screen, web overview`, () => {
    const customer = () => journeyCustomer(backend);

    it('a mobile user onboards with instant ACH and sees their home screen with the opening deposit and exactly one welcome email', async () => {
      const { token, email, submitted, seen, final } = await customer();
      expect(submitted.body).toMatchObject({ id: expect.any(String) });
      expect(submitted.location).toContain(submitted.body.id);
      expect(seen).not.toContain('verify_deposits');
      expect(final).toMatchObject({ id: submitted.body.id, next: 'welcome', account: { id: expect.any(String), number: expect.any(String) } });
      expect(final.account?.number).not.toMatch(/\d{5}/); // masked

      const home = await mobile('GET', '/v1/home', token);
      expect(home.status).toBe(200);
      expect(home.body.accounts).toEqual([
        expect.objectContaining({ id: final.account?.id, number: final.account?.number, balance: ALICE_DEPOSIT, currency: 'USD' }),
      ]);

      const mail = await mailFor(email);
      expect(mail).toHaveLength(1);
      expect(mail[0].to).toEqual([email]);
    });

    it('the web app shows the same customer overview and the full application timeline', async () => {
      const { token, submitted, final } = await customer();
      const accountId = final.account?.id;

      const overview = await web<Overview>('GET', '/v1/overview', token);
      expect(overview.status).toBe(200);
      expect(overview.body.profile).toMatchObject({ legalName: 'Ada Lovelace', address: { city: 'New York', state: 'NY', postalCode: '10001' } });
      expect(overview.body.accounts).toEqual([
        expect.objectContaining({
          accountId,
          accountNumberMasked: final.account?.number,
          productType: 'checking',
          ledgerBalance: { amountMinor: ALICE_DEPOSIT, currency: 'USD' },
        }),
      ]);
      expect(overview.body.billingAccounts).toEqual([expect.objectContaining({ accountId, paymentMethods: [expect.anything()] })]);
      expect(overview.body.unavailable).toEqual([]);

      const applications = await web<ApplicationList>('GET', '/v1/applications', token);
      expect(applications.status).toBe(200);
      expect(applications.body.items).toEqual([expect.objectContaining({ id: submitted.body.id, status: 'completed' })]);

      const application = await web('GET', `/v1/applications/${submitted.body.id}`, token);
      expect(application.status).toBe(200);
      expect(application.body).toMatchObject({ id: submitted.body.id, status: 'completed', result: { accountId } });
      const timeline = application.body.timeline;
      expect(timeline.map((entry) => entry.step)).toEqual(ALL_STEPS);
      for (const entry of timeline)
        expect(entry).toMatchObject({ label: expect.stringMatching(/\S/), state: 'succeeded', attempts: expect.any(Number) });
    });
  });
}

describe('core banking on postgres (the default): the whole suite', () => {
  timePhase('postgres: the whole suite');
  describeJourney('postgres');

  it('a mobile user verified by micro-deposits confirms the two amounts and completes the onboarding', async () => {
    const { token, email, seen, final } = await bob();
    expect(seen).toContain('verify_deposits');
    expect(final).toMatchObject({ next: 'welcome', account: { id: expect.any(String) } });

    const home = await mobile('GET', '/v1/home', token);
    expect(home.status).toBe(200);
    expect(home.body.accounts).toEqual([expect.objectContaining({ id: final.account?.id, balance: BOB_DEPOSIT, currency: 'USD' })]);
    expect(await mailFor(email)).toHaveLength(1);
  });

  it('an applicant rejected by KYC is told so with a reason to show and gets no account', async () => {
    const email = `rejected-${randomUUID()}@example.com`;
    const form = signUpForm({
      firstName: 'Rex',
      email,
      ssn: KYC_REJECTED_SSN,
      routingNumber: INSTANT_ROUTING,
      accountNumber: `7${randomInt(1e8, 1e9)}7`,
      depositCents: 1000,
    });
    const { token, submitted, final } = await submit('rejected', form, ['rejected']);
    expect(final).toMatchObject({
      id: submitted.body.id,
      next: 'rejected',
      reason: { code: expect.stringMatching(/^[A-Z][A-Z0-9_]*$/), message: expect.stringMatching(/\S/) },
    });
    expect(final.account).toBeUndefined();

    const home = await mobile('GET', '/v1/home', token);
    expect(home.status).toBe(200);
    expect(home.body).toMatchObject({ accounts: [], onboarding: { id: submitted.body.id, next: 'rejected' } });

    const application = await web('GET', `/v1/applications/${submitted.body.id}`, token);
    expect(application.status).toBe(200);
    expect(application.body.status).toBe('rejected');
    expect(application.body.result?.accountId).toBeUndefined();
    expectProblem(await web('GET', '/v1/overview', token), 404);
    expect(await mailFor(email, false)).toHaveLength(0);
  });

  it("customer B is refused customer A's onboarding and account on both Experience APIs with 404", async () => {
    const [a, b] = await Promise.all([alice(), bob()]);
    const onboardingId = a.submitted.body.id;
    const accountId = a.final.account?.id;

    // The owner can see them — so the 404s below are about ownership, not the routes.
    expect((await mobile('GET', `/v1/onboardings/${onboardingId}`, a.token)).status).toBe(200);
    expect((await mobile('GET', `/v1/accounts/${accountId}`, a.token)).status).toBe(200);
    expect((await web('GET', `/v1/applications/${onboardingId}`, a.token)).status).toBe(200);
    expect((await web('GET', `/v1/accounts/${accountId}/transactions`, a.token)).status).toBe(200);

    expectProblem(await mobile('GET', `/v1/onboardings/${onboardingId}`, b.token), 404);
    expectProblem(await mobile('GET', `/v1/accounts/${accountId}`, b.token), 404);
    expectProblem(await web('GET', `/v1/applications/${onboardingId}`, b.token), 404);
    expectProblem(await web('GET', `/v1/accounts/${accountId}/transactions`, b.token), 404);

    // And nothing of A's shows up in B's own views.
    const home = await mobile('GET', '/v1/home', b.token);
    expect(home.body.accounts.map((account) => account.id)).toEqual([b.final.account?.id]);
    const overview = await web<Overview>('GET', '/v1/overview', b.token);
    expect(overview.body.accounts.map((account) => account.accountId)).toEqual([b.final.account?.id]);
    const applications = await web<ApplicationList>('GET', '/v1/applications', b.token);
    expect(applications.body.items.map((item) => item.id)).toEqual([b.submitted.body.id]);
  });

  it('a forged token and an expired token are refused with 401 problem+json on both Experience APIs', async () => {
    const { sub } = await alice();
    const { issuer } = running();
    const forged = await issuer.forgedToken(sub);
    const expired = await issuer.expiredToken(sub);
    for (const token of [forged, expired]) {
      expectProblem(await mobile('GET', '/v1/home', token), 401);
      const form = signUpForm({
        firstName: 'Eve',
        email: 'eve@example.com',
        routingNumber: INSTANT_ROUTING,
        accountNumber: '70000000007',
        depositCents: 100,
      });
      expectProblem(await mobile('POST', '/v1/onboardings', token, form, { 'idempotency-key': randomUUID() }), 401);
      expectProblem(await web('GET', '/v1/overview', token), 401);
      expectProblem(await web('GET', '/v1/applications', token), 401);
    }
    // The same subject with a good token still gets in.
    expect((await mobile('GET', '/v1/home', await issuer.token(sub))).status).toBe(200);
    expect((await web('GET', '/v1/overview', await issuer.token(sub))).status).toBe(200);
  });
  it("one customer streaming malformed requests never opens a breaker: another customer's reads keep answering 200", async () => {
    const [a, b] = await Promise.all([alice(), bob()]);
    const goodId = a.submitted.body.id;
    const accountId = a.final.account?.id ?? '';
    // Ids that ajv's `uuid` format accepts but the database refuses, and other values the
    // database cannot store — each used to be a 500 from the layers below.
    const badIds = [`urn:uuid:${goodId}`, `{${goodId}}`, goodId.toUpperCase(), goodId.replace(/-/g, '')];
    const hostile: Array<() => Promise<Reply<unknown>>> = [
      ...badIds.map((id) => () => mobile('GET', `/v1/onboardings/${encodeURIComponent(id)}`, b.token)),
      ...badIds.map((id) => () => web('GET', `/v1/applications/${encodeURIComponent(id)}`, b.token)),
      ...badIds.map((id) => () => mobile('GET', `/v1/accounts/${encodeURIComponent(id)}`, b.token)),
      () => web('GET', '/v1/applications?cursor=not-a-cursor', b.token),
      () => web('GET', `/v1/accounts/${accountId}/transactions?cursor=AAAA`, a.token),
      () =>
        mobile(
          'POST',
          '/v1/onboardings',
          b.token,
          {
            ...signUpForm({
              firstName: 'Nul\u0000',
              email: 'n@example.com',
              routingNumber: INSTANT_ROUTING,
              accountNumber: '70000000007',
              depositCents: 100,
            }),
            dateOfBirth: '0000-01-01',
          },
          { 'idempotency-key': randomUUID() },
        ),
    ];
    const statuses: number[] = [];
    const stream = (async () => {
      for (let round = 0; round < 8; round++) {
        for (const send of hostile) {
          const reply = await send();
          statuses.push(reply.status);
          expect(reply.contentType).toMatch(/^application\/problem\+json/);
        }
      }
    })();
    const readsOfA: number[] = [];
    const reads = (async () => {
      for (let read = 0; read < 20; read++) {
        readsOfA.push((await web<Overview>('GET', '/v1/overview', a.token)).status);
        readsOfA.push((await mobile('GET', '/v1/home', a.token)).status);
      }
    })();
    await Promise.all([stream, reads]);

    expect(statuses.length).toBeGreaterThan(100);
    expect(statuses.filter((status) => status >= 500)).toEqual([]);
    expect(new Set(readsOfA)).toEqual(new Set([200]));
    // Nothing below saw an outage: every breaker in the stack is still closed.
    for (const service of Object.values(running().services)) {
      const ready = await fetch(`${service?.baseUrl}/health/ready`);
      const health = (await ready.json()) as { checks?: { downstreams?: Record<string, string> } };
      expect({ service: service?.name, status: ready.status, open: Object.values(health.checks?.downstreams ?? {}).includes('open') }).toEqual({
        service: service?.name,
        status: 200,
        open: false,
      });
    }
  });

  it("leaves the core-banking gateway idle: on the default backend the ledger is the account System API's own", async () => {
    await alice();
    expect(await gatewayTransactions()).toBe(0);
  });
});

describe('core banking on the mainframe: the journey again, with nothing above the account System API changed', () => {
  let before: { environments: Stack['environments']; pids: Record<string, number | undefined> } | undefined;

  beforeAll(async () => {
    const { environments, services } = running();
    before = {
      environments: structuredClone(environments),
      pids: Object.fromEntries(Object.values(services).map((service) => [service?.name, service?.child.pid])),
    };
    const started = performance.now();
    await running().restart(ACCOUNT_SYSTEM_API, { CORE_BANKING_BACKEND: 'mainframe' });
    timings.push({ phase: 'mainframe: account System API restarted on the gateway', ms: performance.now() - started });
  });
  timePhase('mainframe: the journey');

  it('runs the Process and Experience APIs as they were, the same processes with identical environments', () => {
    const { environments, services } = running();
    const above = MANIFEST.services.filter((service) => service.layer === 'process' || service.layer === 'experience').map((s) => s.name);
    expect(above.length).toBeGreaterThan(0);
    for (const name of above) {
      expect({ name, env: environments[name], pid: services[name]?.child.pid }).toEqual({
        name,
        env: before?.environments[name],
        pid: before?.pids[name],
      });
    }
    // Only the account System API changed: its backend, its (fresh) database, and the port it keeps on purpose.
    const was = before?.environments[ACCOUNT_SYSTEM_API] ?? {};
    const now = environments[ACCOUNT_SYSTEM_API] ?? {};
    const changed = [...new Set([...Object.keys(was), ...Object.keys(now)])].filter((key) => was[key] !== now[key]).sort();
    expect(changed).toEqual(['CORE_BANKING_BACKEND', 'DATABASE_URL', 'PORT']);
    expect(now.CORE_BANKING_BACKEND).toBe('mainframe');
    expect(`http://127.0.0.1:${now.PORT}`).toBe(services[ACCOUNT_SYSTEM_API]?.baseUrl);
  });

  describeJourney('mainframe');

  it("keeps the journey's customer and account on the mainframe: the gateway answered its transactions", async () => {
    await journeyCustomer('mainframe');
    expect(await gatewayTransactions()).toBeGreaterThan(0);
  });
});

/**
 * The move to a cloud core, as an operator does it (apps/account-system-api/README.md, "Moving from
 * the mainframe to the PostgreSQL core"): the account System API is stopped, `npm run migrate:core`
 * moves the mainframe's customers, accounts, balances and history into that service's own database,
 * and the service starts again on CORE_BANKING_BACKEND=postgres at the same address. The Process and
 * Experience APIs run on untouched, and the journey's mainframe customer sees the same screens.
 */
describe('the switch-over: the mainframe moved to the PostgreSQL core, the Process and Experience APIs still running', () => {
  /** The customer's three screens, each read after the Experience APIs' READ_CACHE_MS, so that it reaches the core. */
  const screensOf = async ({ token, final }: Onboarded) => {
    await delay(READ_CACHE_WAIT_MS);
    return {
      home: await mobile('GET', '/v1/home', token),
      overview: await web<Overview>('GET', '/v1/overview', token),
      transactions: await web<unknown>('GET', `/v1/accounts/${final.account?.id}/transactions`, token),
    };
  };
  let before: Awaited<ReturnType<typeof screensOf>> | undefined;
  let after: Awaited<ReturnType<typeof screensOf>> | undefined;
  let gatewayTransactionsBefore = 0;
  let migration: CoreMigrationRun | undefined;
  let mainframeEnvironment: Record<string, string> = {};

  beforeAll(async () => {
    const customer = await journeyCustomer('mainframe');
    before = await screensOf(customer);
    gatewayTransactionsBefore = await gatewayTransactions();
    const { environments } = running();
    mainframeEnvironment = { ...environments[ACCOUNT_SYSTEM_API] };
    const gateway = environments[GATEWAY] ?? {};
    const started = performance.now();
    await running().restart(
      ACCOUNT_SYSTEM_API,
      { CORE_BANKING_BACKEND: 'postgres' },
      {
        keepDatabase: true,
        whileStopped: async () => {
          migration = await runCoreMigration({
            gatewayDatabaseUrl: gateway.DATABASE_URL ?? '',
            accountSystemDatabaseUrl: mainframeEnvironment.DATABASE_URL ?? '',
            gatewayPiiKey: gateway.PII_ENCRYPTION_KEY ?? '',
            accountSystemPiiKey: mainframeEnvironment.PII_ENCRYPTION_KEY ?? '',
          });
          if (migration.exitCode !== 0) throw new Error(`the core migration did not verify (exit ${migration.exitCode}):\n${migration.report}`);
        },
      },
    );
    timings.push({ phase: 'switch-over: account System API stopped, core migrated, restarted on postgres', ms: performance.now() - started });
    after = await screensOf(customer);
  });
  timePhase('switch-over: the checks');

  it('migrates and verifies the core, and restarts only the account System API, on its own database and address', () => {
    expect(migration?.exitCode).toBe(0);
    const now = running().environments[ACCOUNT_SYSTEM_API] ?? {};
    const changed = [...new Set([...Object.keys(mainframeEnvironment), ...Object.keys(now)])].filter((key) => mainframeEnvironment[key] !== now[key]);
    expect(changed).toEqual(['CORE_BANKING_BACKEND']);
  });

  it('shows the mainframe customer the same home screen, overview and account history through the Experience APIs', () => {
    expect(after?.home).toEqual(before?.home);
    expect(after?.overview).toEqual(before?.overview);
    expect(after?.transactions).toEqual(before?.transactions);
    expect(after?.home.status).toBe(200);
    expect(after?.home.body.accounts).toEqual([expect.objectContaining({ balance: ALICE_DEPOSIT })]);
  });

  it('reads the PostgreSQL core now: the restarted account System API answered, the gateway did not', async () => {
    expect(await gatewayTransactions()).toBe(gatewayTransactionsBefore);
    const metrics = await fetch(`${running().services[ACCOUNT_SYSTEM_API]?.baseUrl}/metrics`).then((res) => res.text());
    const answered = metrics
      .split('\n')
      .filter((line) => line.startsWith('http_requests_total{') && line.includes('route="/v1/'))
      .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
    expect(answered).toBeGreaterThan(0);
  });

  it('completes a new onboarding on the PostgreSQL core, with the gateway left alone', async () => {
    const gatewayBefore = await gatewayTransactions();
    const { final, token } = await submit(
      'after-switch',
      signUpForm({
        firstName: 'Grace',
        email: `grace-${randomUUID()}@example.com`,
        routingNumber: INSTANT_ROUTING,
        accountNumber: `7${randomInt(1e8, 1e9)}7`,
        depositCents: 4200,
      }),
      ['welcome'],
    );
    const home = await mobile('GET', '/v1/home', token);
    expect(home.body.accounts).toEqual([expect.objectContaining({ id: final.account?.id, balance: 4200 })]);
    expect(await gatewayTransactions()).toBe(gatewayBefore);
  });
});
