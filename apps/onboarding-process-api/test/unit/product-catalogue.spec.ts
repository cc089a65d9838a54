import type { FastifyBaseLogger } from 'fastify';
import type { BillingSystemClient } from '@bartholomew/clients-billing-system';
import type { FeePlan } from '@bartholomew/contracts-billing-system';
import { DownstreamRejected, DownstreamUnavailable } from '@bartholomew/platform';
import { FEE_PLANS_FRESH_FOR_MS, FeePlanCache } from '../../src/downstreams/fee-plan-cache';
import { productOfferings } from '../../src/routes/products';

const plan = (planCode: string, amountMinor: number): FeePlan => ({
  planCode,
  name: planCode.replace(/(^|-)(\w)/g, (_, dash: string, letter: string) => `${dash ? ' ' : ''}${letter.toUpperCase()}`),
  description: `About ${planCode}.`,
  monthlyFee: { amountMinor, currency: 'USD' },
});
const BILLING_PLANS = [plan('basic-checking', 0), plan('premium-checking', 1500), plan('everyday-savings', 500)];

/** The billing port with only its fee-plan catalogue: each call answers what `next` says. */
function billingPort() {
  let next: () => Promise<FeePlan[]> = async () => BILLING_PLANS;
  const port = {
    calls: 0,
    answer(answer: () => Promise<FeePlan[]>) {
      next = answer;
    },
    listFeePlans: jest.fn(async () => {
      port.calls += 1;
      return next();
    }),
  };
  return port;
}

/** A logger that keeps what was warned about, with its fields. */
function warnings() {
  const warned: Array<{ fields: Record<string, unknown>; message: string }> = [];
  const log = { warn: (fields: Record<string, unknown>, message: string) => warned.push({ fields, message }) };
  return { warned, log: log as unknown as FastifyBaseLogger };
}

const down = (retryAfterMs?: number) =>
  new DownstreamUnavailable('billing-system-api', {
    reason: retryAfterMs === undefined ? 'connection' : 'circuit-open',
    breakerState: 'open',
    retryAfterMs,
  });

describe('the fee plans read from billing', () => {
  let now: number;
  let billing: ReturnType<typeof billingPort>;
  let cache: FeePlanCache;
  let logs: ReturnType<typeof warnings>;
  beforeEach(() => {
    now = Date.parse('2026-01-05T14:30:00.000Z');
    billing = billingPort();
    logs = warnings();
    cache = new FeePlanCache({ billingSystem: billing as unknown as BillingSystemClient, log: logs.log, now: () => now });
  });

  it('asks billing once, then answers from memory until they are five minutes old', async () => {
    const first = await cache.feePlans('r1');
    now += FEE_PLANS_FRESH_FOR_MS - 1;
    const second = await cache.feePlans('r2');
    expect([first, second]).toEqual([
      { plans: BILLING_PLANS, readAt: new Date('2026-01-05T14:30:00.000Z'), stale: false },
      { plans: BILLING_PLANS, readAt: new Date('2026-01-05T14:30:00.000Z'), stale: false },
    ]);
    expect(billing.calls).toBe(1);
    now += 1;
    billing.answer(async () => [plan('basic-checking', 100)]);
    expect(await cache.feePlans('r3')).toEqual({ plans: [plan('basic-checking', 100)], readAt: new Date(now), stale: false });
    expect(billing.calls).toBe(2);
  });

  it('makes one call to billing for requests that arrive together', async () => {
    await Promise.all([cache.feePlans('a'), cache.feePlans('b'), cache.feePlans('c')]);
    expect(billing.calls).toBe(1);
  });

  it('serves the last plans read, marked stale and logged, while billing does not answer', async () => {
    await cache.feePlans('r1');
    now += FEE_PLANS_FRESH_FOR_MS + 60_000;
    billing.answer(() => Promise.reject(down()));
    expect(await cache.feePlans('r2')).toEqual({ plans: BILLING_PLANS, readAt: new Date('2026-01-05T14:30:00.000Z'), stale: true });
    expect(logs.warned).toEqual([
      { fields: { reason: expect.any(String), ageMs: FEE_PLANS_FRESH_FOR_MS + 60_000 }, message: expect.stringContaining('marked stale') },
    ]);
    // Billing is asked again on the next request, and its answer is fresh again.
    billing.answer(async () => BILLING_PLANS);
    expect((await cache.feePlans('r3')).stale).toBe(false);
  });

  it('with nothing read yet, passes billing’s unavailability on with a Retry-After: its own estimate, else five seconds', async () => {
    billing.answer(() => Promise.reject(down()));
    const error = await cache.feePlans('r1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DownstreamUnavailable);
    expect({ status: (error as DownstreamUnavailable).statusCode, headers: (error as DownstreamUnavailable).headers }).toEqual({
      status: 503,
      headers: { 'retry-after': '5' },
    });
    billing.answer(() => Promise.reject(down(1_200)));
    expect(((await cache.feePlans('r2').catch((e: unknown) => e)) as DownstreamUnavailable).headers).toEqual({ 'retry-after': '2' });
  });

  it('does not hide a refusal behind the last plans read: that is a fault of ours, not an outage', async () => {
    await cache.feePlans('r1');
    now += FEE_PLANS_FRESH_FOR_MS;
    billing.answer(() => Promise.reject(new DownstreamRejected('billing-system-api', 403, { code: 'CALLER_NOT_ALLOWED' })));
    await expect(cache.feePlans('r2')).rejects.toBeInstanceOf(DownstreamRejected);
  });
});

describe('the product list', () => {
  let logs: ReturnType<typeof warnings>;
  beforeEach(() => {
    logs = warnings();
  });

  it('gives each plan of the onboarding catalogue billing’s name, description and monthly fee', () => {
    expect(productOfferings(BILLING_PLANS, logs.log)).toEqual([
      {
        productType: 'checking',
        plans: [
          {
            planCode: 'basic-checking',
            name: 'Basic Checking',
            description: 'About basic-checking.',
            monthlyFee: { amountMinor: 0, currency: 'USD' },
          },
          {
            planCode: 'premium-checking',
            name: 'Premium Checking',
            description: 'About premium-checking.',
            monthlyFee: { amountMinor: 1500, currency: 'USD' },
          },
        ],
        openingDeposit: { min: { amountMinor: 1, currency: 'USD' }, max: { amountMinor: 2_500_000, currency: 'USD' } },
      },
      {
        productType: 'savings',
        plans: [
          {
            planCode: 'everyday-savings',
            name: 'Everyday Savings',
            description: 'About everyday-savings.',
            monthlyFee: { amountMinor: 500, currency: 'USD' },
          },
        ],
        openingDeposit: { min: { amountMinor: 1, currency: 'USD' }, max: { amountMinor: 2_500_000, currency: 'USD' } },
      },
    ]);
    expect(logs.warned).toEqual([]);
  });

  it('leaves out, with a warning, a plan billing does not know — and a product left with no plan', () => {
    const offerings = productOfferings([plan('basic-checking', 0), plan('gold-checking', 900)], logs.log);
    expect(offerings.map((offering) => [offering.productType, offering.plans.map((p) => p.planCode)])).toEqual([['checking', ['basic-checking']]]);
    expect(logs.warned.map(({ fields }) => [fields.productType, fields.planCode])).toEqual([
      ['checking', 'premium-checking'],
      ['savings', 'everyday-savings'],
    ]);
  });
});
