import { randomUUID } from 'node:crypto';
import { BillingProblemCode } from '@bartholomew/contracts-billing-system';
import { DownstreamRejected, DownstreamUnavailable } from '@bartholomew/platform';
import { HttpBillingSystemClient } from '../src';
import { PROCESS_CALLER, startBillingSystemApi, type RunningBillingSystemApi } from './running-billing-system-api';

describe('HttpBillingSystemClient against the running billing System API', () => {
  let api: RunningBillingSystemApi;
  let client: HttpBillingSystemClient;
  beforeAll(async () => {
    api = await startBillingSystemApi();
    client = new HttpBillingSystemClient({ baseUrl: api.baseUrl, credential: PROCESS_CALLER, timeoutMs: 5_000 });
  });
  afterAll(async () => {
    await client?.close();
    await api?.stop();
  });

  const call = () => ({ requestId: `client-test-${randomUUID()}` });
  const write = () => ({ ...call(), idempotencyKey: `client-test-${randomUUID()}` });
  const bankAccount = { routingNumber: '121000358', accountNumber: '2718281828', accountType: 'checking' as const, holderName: 'Grace Hopper' };

  /** The rejection a promise ends with, typed, so a wrong error type fails the test. */
  async function rejection(promise: Promise<unknown>): Promise<DownstreamRejected> {
    const error = await promise.then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(error).toBeInstanceOf(DownstreamRejected);
    return error as DownstreamRejected;
  }

  it('reads the fee catalogue and one plan', async () => {
    const plans = await client.listFeePlans(call());
    expect(plans.map((plan) => plan.planCode)).toEqual(['basic-checking', 'everyday-savings', 'premium-checking']);
    expect(await client.getFeePlan('premium-checking', call())).toMatchObject({ monthlyFee: { amountMinor: 1500, currency: 'USD' } });
  });

  it('runs a billing account through its life: open, read, list, re-plan, close', async () => {
    const customerId = randomUUID();
    const opened = await client.openBillingAccount({ customerId, accountId: randomUUID(), planCode: 'basic-checking' }, write());
    expect(opened).toMatchObject({ customerId, planCode: 'basic-checking', status: 'open' });

    expect(await client.getBillingAccount(opened.billingAccountId, call())).toEqual(opened);
    expect(await client.listBillingAccountsOfCustomer(customerId, call())).toEqual([opened]);
    expect(await client.changeFeePlan(opened.billingAccountId, { planCode: 'premium-checking' }, call())).toMatchObject({
      planCode: 'premium-checking',
    });
    expect(await client.closeBillingAccount(opened.billingAccountId, call())).toMatchObject({ status: 'closed', closedAt: expect.any(String) });
  });

  it('answers the first billing account again when a write is repeated with its idempotency key', async () => {
    const request = { customerId: randomUUID(), accountId: randomUUID(), planCode: 'basic-checking' };
    const options = write();
    const first = await client.openBillingAccount(request, options);
    const again = await client.openBillingAccount(request, { ...options, requestId: `client-test-${randomUUID()}` });

    expect(again).toEqual(first);
    expect(await client.listBillingAccountsOfCustomer(request.customerId, call())).toHaveLength(1);
  });

  it('adds, lists, reads and verifies an ACH payment method, seeing only the last four digits', async () => {
    const { billingAccountId } = await client.openBillingAccount(
      { customerId: randomUUID(), accountId: randomUUID(), planCode: 'basic-checking' },
      write(),
    );
    const added = await client.addPaymentMethod(billingAccountId, bankAccount, write());

    expect(added).toMatchObject({ billingAccountId, accountNumberMasked: '•••1828', status: 'unverified' });
    expect(JSON.stringify(added)).not.toContain(bankAccount.accountNumber);
    expect(await client.listPaymentMethods(billingAccountId, call())).toEqual([added]);
    expect(await client.getPaymentMethod(billingAccountId, added.paymentMethodId, call())).toEqual(added);
    expect(await client.recordPaymentMethodVerification(billingAccountId, added.paymentMethodId, { outcome: 'verified' }, call())).toMatchObject({
      status: 'verified',
    });
  });

  it('lists a customer’s billing accounts with the payment methods of each, in one call', async () => {
    const customerId = randomUUID();
    const first = await client.openBillingAccount({ customerId, accountId: randomUUID(), planCode: 'basic-checking' }, write());
    const second = await client.openBillingAccount({ customerId, accountId: randomUUID(), planCode: 'premium-checking' }, write());
    const method = await client.addPaymentMethod(second.billingAccountId, bankAccount, write());

    expect(await client.listBillingAccountSummaries(customerId, call())).toEqual([
      { billingAccount: first, paymentMethods: [] },
      { billingAccount: second, paymentMethods: [method] },
    ]);
    expect(await client.listBillingAccountSummaries(randomUUID(), call())).toEqual([]);
  });

  it('forwards the caller’s request id, so the service logs the call under it', async () => {
    const options = call();
    await client.getFeePlan('basic-checking', options);
    // Rejects when no log line of the service carries this request id.
    await expect(api.waitForLogRecord((record) => record.reqId === options.requestId && record.msg === 'request completed')).resolves.toBeTruthy();
  });

  it('turns an unknown billing account into DownstreamRejected carrying BILLING_ACCOUNT_NOT_FOUND', async () => {
    const error = await rejection(client.getBillingAccount(randomUUID(), call()));
    expect(error.status).toBe(404);
    expect(error.problem?.code).toBe(BillingProblemCode.BILLING_ACCOUNT_NOT_FOUND);
  });

  it('turns a refused write into DownstreamRejected with its problem code', async () => {
    const unknownPlan = await rejection(
      client.openBillingAccount({ customerId: randomUUID(), accountId: randomUUID(), planCode: 'platinum-checking' }, write()),
    );
    expect({ status: unknownPlan.status, code: unknownPlan.problem?.code }).toEqual({ status: 422, code: BillingProblemCode.UNKNOWN_FEE_PLAN });

    const { billingAccountId } = await client.openBillingAccount(
      { customerId: randomUUID(), accountId: randomUUID(), planCode: 'basic-checking' },
      write(),
    );
    const badRouting = await rejection(client.addPaymentMethod(billingAccountId, { ...bankAccount, routingNumber: '121000359' }, write()));
    expect({ status: badRouting.status, code: badRouting.problem?.code }).toEqual({ status: 422, code: BillingProblemCode.INVALID_ROUTING_NUMBER });
  });

  it('is refused with 401 when its credential is wrong', async () => {
    const stranger = new HttpBillingSystemClient({
      baseUrl: api.baseUrl,
      credential: { callerName: PROCESS_CALLER.callerName, secret: 'not-the-secret-at-all' },
    });
    try {
      const error = await rejection(stranger.listFeePlans(call()));
      expect({ status: error.status, code: error.problem?.code }).toEqual({ status: 401, code: 'UNAUTHENTICATED_CALLER' });
    } finally {
      await stranger.close();
    }
  });

  it('reports a service that does not answer as DownstreamUnavailable, not as a rejection', async () => {
    const nowhere = new HttpBillingSystemClient({ baseUrl: 'http://127.0.0.1:1', credential: PROCESS_CALLER, retry: { attempts: 1 } });
    try {
      await expect(nowhere.listFeePlans(call())).rejects.toBeInstanceOf(DownstreamUnavailable);
    } finally {
      await nowhere.close();
    }
  });
});
