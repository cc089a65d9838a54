import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Onboarding } from '@bartholomew/contracts-onboarding-process';
import { DownstreamContractViolation, DownstreamRejected, DownstreamUnavailable } from '@bartholomew/platform';
import { HttpOnboardingProcessClient } from '../src';

const SECRET = 'experience-secret-0123456789';

const onboarding: Onboarding = {
  id: '5f0c8a9e-4a8e-4e7b-9d3c-3f1d2b6a7c10',
  status: 'pending',
  owner: 'auth0|ada',
  applicant: { legalName: 'Ada Lovelace', email: 'ada@example.com', ssnLast4: '6789' },
  product: { productType: 'checking', planCode: 'basic-checking' },
  fundingAccountMasked: { routingNumber: '011000015', accountNumberMasked: '•••6789', accountType: 'checking' },
  timeline: [{ name: 'kyc', state: 'pending', attempts: 0 }],
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

const transaction = {
  transactionId: '0b7e6a1c-2d3f-4a5b-8c9d-0e1f2a3b4c5d',
  direction: 'credit',
  amount: { amountMinor: 2500, currency: 'USD' },
  description: 'Opening deposit',
  balanceAfter: { amountMinor: 2500, currency: 'USD' },
  postedAt: '2026-01-15T10:00:00.000Z',
} as const;

const catalogue = {
  products: [
    {
      productType: 'checking',
      plans: [
        {
          planCode: 'premium-checking',
          name: 'Premium Checking',
          description: 'ATM fee refunds.',
          monthlyFee: { amountMinor: 1500, currency: 'USD' },
        },
      ],
      openingDeposit: { min: { amountMinor: 1, currency: 'USD' }, max: { amountMinor: 2_500_000, currency: 'USD' } },
    },
  ],
  feePlansAsOf: '2026-01-15T10:00:00.000Z',
  stale: true,
};

interface Seen {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

/**
 * A stand-in for the onboarding Process API that answers contract-shaped bodies and records what
 * it was sent: the client's own job (paths, headers, typing of answers and refusals) is tested
 * here; the real API's behaviour is tested in apps/onboarding-process-api.
 */
async function startStub(): Promise<{ app: FastifyInstance; baseUrl: string; seen: Seen[]; failNext: { status: number; times: number } }> {
  const app = Fastify();
  const seen: Seen[] = [];
  const failNext = { status: 0, times: 0 };
  app.addHook('onRequest', async (request, reply) => {
    seen.push({ method: request.method, url: request.url, headers: request.headers });
    if (failNext.times > 0) {
      failNext.times -= 1;
      await reply
        .code(failNext.status)
        .type('application/problem+json')
        .send({ type: 'urn:problem:x', title: 'x', status: failNext.status, code: 'SOMETHING' });
    }
  });
  app.post('/v1/onboardings', async (_request, reply) => reply.code(202).send(onboarding));
  app.get('/v1/onboardings/:id', async (request) => {
    // Slow for one end user, so concurrent calls overlap.
    if (request.headers['x-end-user-subject'] === 'slow-user') await new Promise((resolve) => setTimeout(resolve, 50));
    return { ...onboarding, owner: request.headers['x-end-user-subject'] };
  });
  app.get('/v1/onboardings', async () => ({ items: [onboarding], nextCursor: null }));
  app.get('/v1/customers/:customerId/accounts/:accountId/transactions', async () => ({ items: [transaction], nextCursor: 'bmV4dA' }));
  app.get('/v1/products', async (request) =>
    // A plan without its monthly fee, for the end user who asks for it: an answer outside the contract.
    request.headers['x-end-user-subject'] === 'broken-catalogue'
      ? { ...catalogue, products: [{ ...catalogue.products[0], plans: [{ planCode: 'basic-checking', name: 'Basic', description: '' }] }] }
      : catalogue,
  );
  app.post('/v1/onboardings/:id/ach-confirmation', async (_request, reply) =>
    reply.code(422).type('application/problem+json').send({
      type: 'urn:problem:micro-deposit-amounts-mismatch',
      title: 'Unprocessable Entity',
      status: 422,
      code: 'MICRO_DEPOSIT_AMOUNTS_MISMATCH',
      attemptsRemaining: 2,
    }),
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, baseUrl: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, seen, failNext };
}

describe('HttpOnboardingProcessClient', () => {
  let stub: Awaited<ReturnType<typeof startStub>>;
  let client: HttpOnboardingProcessClient;
  beforeAll(async () => {
    stub = await startStub();
    client = new HttpOnboardingProcessClient({
      baseUrl: stub.baseUrl,
      credential: { callerName: 'mobile-experience-api', secret: SECRET },
      timeoutMs: 1_000,
      retry: { attempts: 3, baseDelayMs: 1, maxDelayMs: 5 },
    });
  });
  afterAll(async () => {
    await client.close();
    await stub.app.close();
  });
  beforeEach(() => {
    stub.seen.length = 0;
  });

  it('starts an onboarding for the end user with their Idempotency-Key, its credential and the request id', async () => {
    const answer = await client.startOnboarding({} as never, { endUser: 'auth0|ada', idempotencyKey: 'key-12345678', requestId: 'req-1' });
    expect(answer.id).toBe(onboarding.id);
    expect(stub.seen[0]).toMatchObject({
      method: 'POST',
      url: '/v1/onboardings',
      headers: {
        'x-end-user-subject': 'auth0|ada',
        'idempotency-key': 'key-12345678',
        'x-request-id': 'req-1',
        'x-service-credential': `mobile-experience-api.${SECRET}`,
      },
    });
  });

  it('retries a keyed start on 503 with the same key and end user', async () => {
    stub.failNext.status = 503;
    stub.failNext.times = 1;
    await client.startOnboarding({} as never, { endUser: 'auth0|ada', idempotencyKey: 'key-retry-1', requestId: 'req-2' });
    expect(stub.seen).toHaveLength(2);
    expect(stub.seen.map((s) => [s.headers['idempotency-key'], s.headers['x-end-user-subject']])).toEqual([
      ['key-retry-1', 'auth0|ada'],
      ['key-retry-1', 'auth0|ada'],
    ]);
  });

  it('never mixes up the end users of concurrent calls', async () => {
    const [slow, fast] = await Promise.all([
      client.getOnboarding(onboarding.id, { endUser: 'slow-user', requestId: 'r-slow' }),
      client.getOnboarding(onboarding.id, { endUser: 'fast-user', requestId: 'r-fast' }),
    ]);
    expect([slow.owner, fast.owner]).toEqual(['slow-user', 'fast-user']);
  });

  it('lists only the end user’s own onboardings', async () => {
    await client.listOnboardings({ limit: 5 }, { endUser: 'auth0|ada', requestId: 'req-3' });
    expect(stub.seen[0].url).toBe('/v1/onboardings?owner=auth0%7Cada&limit=5');
  });

  it('hands a refusal back as DownstreamRejected with the problem, and does not retry an unkeyed confirmation', async () => {
    const error = await client
      .confirmMicroDeposits(onboarding.id, { amountsMinor: [1, 2] }, { endUser: 'auth0|ada', requestId: 'req-4' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownstreamRejected);
    expect((error as DownstreamRejected).problem).toMatchObject({ code: 'MICRO_DEPOSIT_AMOUNTS_MISMATCH', attemptsRemaining: 2 });
    stub.failNext.status = 503;
    stub.failNext.times = 1;
    await expect(
      client.confirmMicroDeposits(onboarding.id, { amountsMinor: [1, 2] }, { endUser: 'auth0|ada', requestId: 'req-5' }),
    ).rejects.toBeInstanceOf(DownstreamUnavailable);
    expect(stub.seen.filter((s) => s.url.endsWith('/ach-confirmation'))).toHaveLength(2);
  });

  it('lists an account’s transactions for the end user, with the page and date filter in the query', async () => {
    const customerId = '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d';
    const page = await client.listAccountTransactions(
      customerId,
      onboarding.id,
      { limit: 10, cursor: 'abc_-1', from: '2026-01-01', to: '2026-01-31' },
      { endUser: 'auth0|ada', requestId: 'req-6' },
    );
    expect(page).toEqual({ items: [transaction], nextCursor: 'bmV4dA' });
    expect(stub.seen[0]).toMatchObject({
      method: 'GET',
      url: `/v1/customers/${customerId}/accounts/${onboarding.id}/transactions?limit=10&cursor=abc_-1&from=2026-01-01&to=2026-01-31`,
      headers: { 'x-end-user-subject': 'auth0|ada', 'x-request-id': 'req-6' },
    });
  });

  it('lists the products with billing’s plan names and fees, and says when the fee plans are stale', async () => {
    await expect(client.listProducts({ endUser: 'auth0|ada', requestId: 'req-7' })).resolves.toEqual(catalogue);
    expect(stub.seen[0]).toMatchObject({
      method: 'GET',
      url: '/v1/products',
      headers: { 'x-end-user-subject': 'auth0|ada', 'x-request-id': 'req-7', 'x-service-credential': `mobile-experience-api.${SECRET}` },
    });
  });

  it('refuses a product list outside the contract instead of handing it on', async () => {
    await expect(client.listProducts({ endUser: 'broken-catalogue', requestId: 'req-8' })).rejects.toBeInstanceOf(DownstreamContractViolation);
  });

  it('refuses an end user that could not be a header value', async () => {
    await expect(client.getOnboarding(onboarding.id, { endUser: 'ada\nx-admin: 1', requestId: 'r' })).rejects.toThrow(/endUser/);
    expect(stub.seen).toHaveLength(0);
  });
});
