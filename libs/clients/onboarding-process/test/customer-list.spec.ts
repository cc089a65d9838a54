import { setTimeout as delay } from 'node:timers/promises';
import type { Onboarding, StartOnboardingRequest } from '@bartholomew/contracts-onboarding-process';
import { DownstreamRejected } from '@bartholomew/platform';
import {
  EXPERIENCE_SECRETS,
  SANDBOX,
  freshAccountNumber,
  freshSsn,
  newKey,
  startOnboardingStack,
  type OnboardingStack,
} from '@bartholomew/test-stack';
import { HttpOnboardingProcessClient } from '../src';

function application(): StartOnboardingRequest {
  return {
    applicant: {
      legalName: 'Ada Lovelace',
      dateOfBirth: '1990-04-01',
      ssn: freshSsn(),
      email: 'ada@example.com',
      phone: '+12125550123',
      address: {
        line1: '1 Main St',
        city: 'New York',
        state: 'NY',
        postalCode: '10001',
      },
    },
    product: { productType: 'checking', planCode: 'basic-checking' },
    fundingAccount: {
      routingNumber: SANDBOX.instantRouting,
      accountNumber: freshAccountNumber(),
      accountType: 'checking',
    },
    openingDeposit: { amountMinor: 2500, currency: 'USD' },
  };
}

/**
 * `listCustomers` against the REAL onboarding Process API (and the real System APIs and workflow
 * below it): the path, the end-user header and the contract's `CustomerList` (with its `$ref`'d
 * overviews) agree between the client and the server that answers.
 */
describe('HttpOnboardingProcessClient.listCustomers against the real Process API', () => {
  let stack: OnboardingStack;
  let client: HttpOnboardingProcessClient;
  /** The customers of `auth0|client-ada`'s two completed onboardings. */
  let adaCustomers: string[];

  const completedOnboarding = async (endUser: string): Promise<Onboarding> => {
    const started = await client.startOnboarding(application(), {
      endUser,
      idempotencyKey: newKey(),
      requestId: 'seed',
    });
    for (const deadline = Date.now() + 30_000; Date.now() < deadline; await delay(100)) {
      const onboarding = await client.getOnboarding(started.id, {
        endUser,
        requestId: 'seed',
      });
      if (['completed', 'rejected', 'failed'].includes(onboarding.status)) {
        expect(onboarding.status).toBe('completed');
        return onboarding;
      }
    }
    throw new Error(`onboarding ${started.id} did not finish in time`);
  };

  beforeAll(async () => {
    stack = await startOnboardingStack();
    client = new HttpOnboardingProcessClient({
      baseUrl: stack.processUrl,
      credential: {
        callerName: 'web-experience-api',
        secret: EXPERIENCE_SECRETS['web-experience-api'],
      },
      timeoutMs: 5_000,
    });
    const done = await Promise.all([completedOnboarding('auth0|client-ada'), completedOnboarding('auth0|client-ada')]);
    adaCustomers = done.map((onboarding) => String(onboarding.customerId));
  }, 90_000);
  afterAll(async () => {
    await client?.close();
    await stack?.close();
  });

  it('pages through the end user’s customers, each with its accounts and billing, in one call a page', async () => {
    const call = { endUser: 'auth0|client-ada', requestId: 'req-customers' };
    const first = await client.listCustomers({ limit: 1 }, call);
    expect(first.items).toHaveLength(1);
    expect(first.nextCursor).toEqual(expect.any(String));
    const second = await client.listCustomers({ limit: 1, cursor: first.nextCursor ?? undefined }, call);
    expect(second.nextCursor).toBeNull();
    const items = [...first.items, ...second.items];
    expect(items.map((item) => item.customer.customerId).sort()).toEqual([...adaCustomers].sort());
    for (const item of items) {
      expect(item.accounts).toEqual([
        expect.objectContaining({
          status: 'active',
          ledgerBalance: { amountMinor: 2500, currency: 'USD' },
        }),
      ]);
      expect(item.billingAccounts).toEqual([
        expect.objectContaining({
          status: 'open',
          plan: expect.objectContaining({ planCode: 'basic-checking' }),
        }),
      ]);
    }
  });

  it('lists nothing for an end user without customers, not even another user’s', async () => {
    expect(await client.listCustomers({}, { endUser: 'auth0|client-nobody', requestId: 'req-nobody' })).toEqual({ items: [], nextCursor: null });
  });

  it('hands back a cursor the listing did not issue as DownstreamRejected 400 INVALID_CURSOR', async () => {
    const error = await client.listCustomers({ cursor: 'bm9wZQ' }, { endUser: 'auth0|client-ada', requestId: 'req-bad' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownstreamRejected);
    expect({
      status: (error as DownstreamRejected).status,
      code: (error as DownstreamRejected).problem?.code,
    }).toEqual({ status: 400, code: 'INVALID_CURSOR' });
  });
});
