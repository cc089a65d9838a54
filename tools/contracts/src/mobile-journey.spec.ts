/**
 * The mobile team's view of the contract: a client generated from the COMMITTED mobile document
 * (openapi-typescript types in ./generated, openapi-fetch over real HTTP) walks the sign-up journey
 * against the real mobile Experience API, with the real Process and System APIs below it. Typechecked
 * with `strict` and no casts: where the document were wrong, this file would not compile or would fail.
 */
import { setTimeout as delay } from 'node:timers/promises';
import Fastify, { type FastifyInstance } from 'fastify';
import createClient, { type Client } from 'openapi-fetch';
import { loadConfig, serviceServerOptions } from '@bartholomew/platform';
import { mobileExperience, MobileExperienceConfigSchema } from '@bartholomew/mobile-experience-api';
import {
  EXPERIENCE_SECRETS,
  ISSUER,
  SANDBOX,
  freshAccountNumber,
  freshSsn,
  newKey,
  startOnboardingStack,
  testIdentityProvider,
  type OnboardingStack,
  type TestIdentityProvider,
} from '@bartholomew/test-stack';
import type { components, paths } from './generated/mobile-experience-api';

type OnboardingForm = components['schemas']['OnboardingForm'];
type NextStep = components['schemas']['NextStep'];
type ProductOffer = components['schemas']['ProductCatalogue']['products'][number];

const AUDIENCE = 'mobile-experience-api';
const OPENING_DEPOSIT_CENTS = 2500;

describe('a client generated from the committed mobile OpenAPI document', () => {
  let stack: OnboardingStack;
  let idp: TestIdentityProvider;
  let mobileApi: FastifyInstance;
  let baseUrl: string;

  beforeAll(async () => {
    stack = await startOnboardingStack();
    idp = await testIdentityProvider(AUDIENCE);
    const config = loadConfig(MobileExperienceConfigSchema, {
      PORT: '0',
      LOG_LEVEL: 'warn',
      JWT_ISSUER: ISSUER,
      JWT_AUDIENCE: AUDIENCE,
      JWT_PUBLIC_KEYS: idp.jwks,
      ONBOARDING_PROCESS_URL: stack.processUrl,
      SERVICE_CREDENTIAL_SECRET: EXPERIENCE_SECRETS['mobile-experience-api'],
    });
    mobileApi = Fastify(serviceServerOptions(config));
    await mobileApi.register(mobileExperience, { config });
    await mobileApi.listen({ host: '127.0.0.1', port: 0 });
    const address = mobileApi.server.address();
    if (!address || typeof address === 'string') throw new Error('the mobile API is not listening on a port');
    baseUrl = `http://127.0.0.1:${address.port}`;
  });
  afterAll(async () => {
    await mobileApi?.close();
    await stack?.close();
  });

  /** The app's client for one signed-in customer: a fresh bearer token on every request. */
  function clientFor(subject: string): Client<paths> {
    const client = createClient<paths>({ baseUrl });
    client.use({
      onRequest: async ({ request }) => {
        request.headers.set('authorization', `Bearer ${await idp.token(subject)}`);
        return request;
      },
    });
    return client;
  }

  /** The sign-up form for an account and plan the API listed (`GET /v1/products`). */
  const signUpForm = (offer: ProductOffer): OnboardingForm => ({
    firstName: 'Ada',
    lastName: 'Lovelace',
    dateOfBirth: '1990-04-01',
    ssn: freshSsn(),
    email: 'ada@example.com',
    phone: '+12125550123',
    address: {
      street: '1 Main St',
      city: 'New York',
      state: 'NY',
      zip: '10001',
    },
    account: offer.account,
    plan: offer.plans[0].plan,
    bank: {
      routingNumber: SANDBOX.instantRouting,
      accountNumber: freshAccountNumber(),
      type: 'checking',
    },
    initialDepositCents: OPENING_DEPOSIT_CENTS,
  });

  /** The products the API offers, read as the app reads them; the checking account is the one the journey opens. */
  async function checkingOffer(client: Client<paths>): Promise<ProductOffer> {
    const { data, error } = await client.GET('/v1/products');
    if (error) throw new Error(`listing products answered ${error.status} ${error.code}`);
    const checking = data?.products.find((offer) => offer.account === 'checking');
    if (!checking) throw new Error('no checking account offered');
    return checking;
  }

  /**
   * Follows "what next" (`/v2`, the union) as the app does while the answer says `processing`: with
   * long polls — the last ETag as If-None-Match and `prefer: wait=10`, a header the document declares —
   * so each answer comes when the screen changes.
   */
  async function untilSettled(client: Client<paths>, first: NextStep): Promise<NextStep> {
    let answer = first;
    let etag: string | undefined;
    for (let round = 0; answer.next === 'processing' && round < 100; round++) {
      const { data, error, response } = await client.GET('/v2/onboardings/{id}', {
        params: { path: { id: answer.id }, header: etag ? { prefer: 'wait=10' } : {} },
        headers: etag ? { 'if-none-match': etag } : {},
      });
      if (response.status === 304) {
        // Held for the whole wait with nothing new; a 304 the server did not hold is asked again later.
        if (!response.headers.get('preference-applied')) await delay(100);
        continue;
      }
      if (error) throw new Error(`following the onboarding answered ${error.status} ${error.code}`);
      etag = response.headers.get('etag') ?? undefined;
      if (data) answer = data;
    }
    return answer;
  }

  it('signs up with instant bank verification, sees the onboarding completed and the funded account on the home screen', async () => {
    const client = clientFor('grace');
    const offer = await checkingOffer(client);
    expect(offer.initialDepositCents.max).toBeGreaterThanOrEqual(OPENING_DEPOSIT_CENTS);

    const started = await client.POST('/v2/onboardings', {
      params: { header: { 'idempotency-key': newKey() } },
      body: signUpForm(offer),
    });
    expect({
      status: started.response.status,
      next: started.data?.next,
      error: started.error,
    }).toEqual({ status: 202, next: 'processing', error: undefined });
    if (!started.data) throw new Error('no answer body');

    const settled = await untilSettled(client, started.data);
    expect(settled).toMatchObject({
      id: started.data.id,
      next: 'welcome',
      account: { id: expect.any(String), number: expect.any(String) },
    });
    // The discriminator in the document makes `next` narrow the type: `account` exists on the welcome screen only.
    if (settled.next !== 'welcome') throw new Error(`expected the welcome screen, got ${settled.next}`);

    const home = await client.GET('/v1/home');
    expect(home.response.status).toBe(200);
    expect(home.data?.accounts).toEqual([
      expect.objectContaining({
        id: settled.account.id,
        balance: OPENING_DEPOSIT_CENTS,
        available: OPENING_DEPOSIT_CENTS,
        currency: 'USD',
      }),
    ]);
  });

  it('reads a refusal as the documented problem details', async () => {
    // A string the type allows but the documented pattern does not: refused before anything is done.
    const client = clientFor('alan');
    const form: OnboardingForm = { ...signUpForm(await checkingOffer(client)), ssn: '12-345' };
    const refused = await client.POST('/v2/onboardings', {
      params: { header: { 'idempotency-key': newKey() } },
      body: form,
    });
    expect({
      status: refused.response.status,
      contentType: refused.response.headers.get('content-type'),
    }).toEqual({
      status: 400,
      contentType: expect.stringMatching(/^application\/problem\+json/),
    });
    expect({
      status: refused.error?.status,
      code: refused.error?.code,
    }).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
  });
});
