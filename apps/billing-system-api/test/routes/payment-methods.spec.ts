import { randomUUID } from 'node:crypto';
import { addPaymentMethod, bankAccount, buildTestApp, expectProblem, newKey, openBillingAccount, type TestApp } from '../helper';

describe('payment method routes', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await buildTestApp();
  });
  afterAll(() => test.close());

  const add = (billingAccountId: string, payload: unknown, key: string = newKey()) =>
    test.call({
      method: 'POST',
      url: `/v1/billing-accounts/${billingAccountId}/payment-methods`,
      payload: payload as object,
      headers: { 'idempotency-key': key },
    });
  const recordVerification = (billingAccountId: string, paymentMethodId: string, payload: unknown) =>
    test.call({
      method: 'POST',
      url: `/v1/billing-accounts/${billingAccountId}/payment-methods/${paymentMethodId}/verification`,
      payload: payload as object,
    });
  const closeBillingAccount = (id: string) => test.call({ method: 'POST', url: `/v1/billing-accounts/${id}/close` });
  const countPaymentMethods = async (billingAccountId: string) =>
    (await test.app.db.query<{ n: number }>('SELECT count(*)::int AS n FROM payment_methods WHERE billing_account_id = $1', [billingAccountId]))
      .rows[0].n;

  describe('POST /v1/billing-accounts/{billingAccountId}/payment-methods', () => {
    it('adds an unverified ACH payment method and answers only the last four digits of the account number', async () => {
      const billingAccountId = await openBillingAccount(test);
      const res = await add(billingAccountId, bankAccount({ accountNumber: '000123456789', accountType: 'savings' }));

      expect(res.statusCode).toBe(201);
      const paymentMethod = res.json();
      expect(paymentMethod).toEqual({
        paymentMethodId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        billingAccountId,
        routingNumber: '021000021',
        accountNumberMasked: '•••6789',
        accountType: 'savings',
        holderName: 'Ada Lovelace',
        status: 'unverified',
        createdAt: expect.any(String),
      });
      expect(res.body).not.toContain('000123456789');
      expect(res.headers.location).toBe(`/v1/billing-accounts/${billingAccountId}/payment-methods/${paymentMethod.paymentMethodId}`);
    });

    it('stores the account number only encrypted, with a keyed fingerprint of routing and account number', async () => {
      const billingAccountId = await openBillingAccount(test);
      const paymentMethodId = await addPaymentMethod(
        test,
        billingAccountId,
        bankAccount({ routingNumber: '121000358', accountNumber: '9876543210' }),
      );

      const { rows } = await test.app.db.query<{ account_number_encrypted: string; bank_account_fingerprint: string }>(
        'SELECT account_number_encrypted, bank_account_fingerprint FROM payment_methods WHERE id = $1',
        [paymentMethodId],
      );
      const stored = rows[0];
      expect(stored.account_number_encrypted).not.toContain('9876543210');
      expect(test.app.pii.decrypt(stored.account_number_encrypted)).toBe('9876543210');
      expect(stored.bank_account_fingerprint).toBe(test.app.pii.fingerprint('121000358:9876543210'));
    });

    it('answers 422 INVALID_ROUTING_NUMBER when the routing number fails the ABA checksum, and stores nothing', async () => {
      const billingAccountId = await openBillingAccount(test);
      const res = await add(billingAccountId, bankAccount({ routingNumber: '021000022' }));

      expectProblem(res, 422, 'INVALID_ROUTING_NUMBER');
      expect(await countPaymentMethods(billingAccountId)).toBe(0);
    });

    it('refuses the same bank account twice on one billing account with 409 PAYMENT_METHOD_ALREADY_EXISTS', async () => {
      const billingAccountId = await openBillingAccount(test);
      await addPaymentMethod(test, billingAccountId);
      const res = await add(billingAccountId, bankAccount({ accountType: 'savings', holderName: 'A. Lovelace' }));

      expectProblem(res, 409, 'PAYMENT_METHOD_ALREADY_EXISTS');
      expect(await countPaymentMethods(billingAccountId)).toBe(1);
    });

    it('takes the same bank account on another billing account, and another account number on the same one', async () => {
      const first = await openBillingAccount(test);
      const second = await openBillingAccount(test);
      await addPaymentMethod(test, first);

      expect((await add(second, bankAccount())).statusCode).toBe(201);
      expect((await add(first, bankAccount({ accountNumber: '000123456780' }))).statusCode).toBe(201);
      expect(await countPaymentMethods(first)).toBe(2);
    });

    it('replays the first answer for the same key and body, adding one payment method', async () => {
      const billingAccountId = await openBillingAccount(test);
      const key = newKey();
      const first = await add(billingAccountId, bankAccount(), key);
      const again = await add(billingAccountId, bankAccount(), key);

      expect(again.statusCode).toBe(201);
      expect(again.headers['idempotent-replayed']).toBe('true');
      expect(again.json()).toEqual(first.json());
      expect(await countPaymentMethods(billingAccountId)).toBe(1);
    });

    it('refuses the same key with another body, or with the same body on another billing account, with 422', async () => {
      const billingAccountId = await openBillingAccount(test);
      const otherBillingAccountId = await openBillingAccount(test);
      const key = newKey();
      await add(billingAccountId, bankAccount(), key);

      expectProblem(await add(billingAccountId, bankAccount({ accountNumber: '55554444' }), key), 422, 'IDEMPOTENCY_KEY_REUSED');
      expectProblem(await add(otherBillingAccountId, bankAccount(), key), 422, 'IDEMPOTENCY_KEY_REUSED');
      expect(await countPaymentMethods(otherBillingAccountId)).toBe(0);
    });

    it('refuses a payment method on a closed billing account with 409 BILLING_ACCOUNT_CLOSED', async () => {
      const billingAccountId = await openBillingAccount(test);
      await closeBillingAccount(billingAccountId);

      expectProblem(await add(billingAccountId, bankAccount()), 409, 'BILLING_ACCOUNT_CLOSED');
      expect(await countPaymentMethods(billingAccountId)).toBe(0);
    });

    it('answers 404 BILLING_ACCOUNT_NOT_FOUND for an unknown billing account', async () => {
      expectProblem(await add(randomUUID(), bankAccount()), 404, 'BILLING_ACCOUNT_NOT_FOUND');
    });

    it('refuses a write without an Idempotency-Key with 400', async () => {
      const billingAccountId = await openBillingAccount(test);
      const res = await test.call({ method: 'POST', url: `/v1/billing-accounts/${billingAccountId}/payment-methods`, payload: bankAccount() });
      expectProblem(res, 400, 'VALIDATION_FAILED');
    });

    it.each([
      ['a three-digit account number', { accountNumber: '123' }],
      ['an eighteen-digit account number', { accountNumber: '123456789012345678' }],
      ['an account number sent as a number', { accountNumber: 123456789 }],
      ['a routing number with a letter', { routingNumber: '02100002X' }],
      ['an account type the bank does not offer', { accountType: 'brokerage' }],
      ['an empty holder name', { holderName: '' }],
      ['an unknown field', { nickname: 'rainy day fund' }],
    ])('refuses %s with 400 VALIDATION_FAILED', async (_label, change) => {
      const billingAccountId = await openBillingAccount(test);
      expectProblem(await add(billingAccountId, { ...bankAccount(), ...change }), 400, 'VALIDATION_FAILED');
      expect(await countPaymentMethods(billingAccountId)).toBe(0);
    });
  });

  describe('GET payment methods', () => {
    it('lists the payment methods of one billing account, oldest first', async () => {
      const billingAccountId = await openBillingAccount(test);
      const first = await addPaymentMethod(test, billingAccountId);
      const second = await addPaymentMethod(test, billingAccountId, bankAccount({ routingNumber: '011000015', accountNumber: '4455' }));
      await addPaymentMethod(test, await openBillingAccount(test));

      const res = await test.call({ url: `/v1/billing-accounts/${billingAccountId}/payment-methods` });
      expect(res.statusCode).toBe(200);
      const items = res.json().items;
      expect(items.map((item: { paymentMethodId: string }) => item.paymentMethodId)).toEqual([first, second]);
      expect(items[1]).toMatchObject({ routingNumber: '011000015', accountNumberMasked: '•••4455' });
    });

    it('answers 404 BILLING_ACCOUNT_NOT_FOUND when listing an unknown billing account', async () => {
      expectProblem(await test.call({ url: `/v1/billing-accounts/${randomUUID()}/payment-methods` }), 404, 'BILLING_ACCOUNT_NOT_FOUND');
    });

    it('reads one payment method', async () => {
      const billingAccountId = await openBillingAccount(test);
      const paymentMethodId = await addPaymentMethod(test, billingAccountId);
      const res = await test.call({ url: `/v1/billing-accounts/${billingAccountId}/payment-methods/${paymentMethodId}` });

      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ paymentMethodId, billingAccountId, accountNumberMasked: '•••6789', status: 'unverified' });
    });

    it('answers 404 PAYMENT_METHOD_NOT_FOUND for an unknown payment method or one of another billing account', async () => {
      const billingAccountId = await openBillingAccount(test);
      const otherPaymentMethodId = await addPaymentMethod(test, await openBillingAccount(test));

      expectProblem(
        await test.call({ url: `/v1/billing-accounts/${billingAccountId}/payment-methods/${randomUUID()}` }),
        404,
        'PAYMENT_METHOD_NOT_FOUND',
      );
      expectProblem(
        await test.call({ url: `/v1/billing-accounts/${billingAccountId}/payment-methods/${otherPaymentMethodId}` }),
        404,
        'PAYMENT_METHOD_NOT_FOUND',
      );
    });

    it('refuses a payment method id that is not a UUID with 400', async () => {
      const billingAccountId = await openBillingAccount(test);
      expectProblem(await test.call({ url: `/v1/billing-accounts/${billingAccountId}/payment-methods/pm_123` }), 400, 'VALIDATION_FAILED');
    });
  });

  describe('POST …/payment-methods/{paymentMethodId}/verification', () => {
    it('marks an unverified payment method verified and records when', async () => {
      const billingAccountId = await openBillingAccount(test);
      const paymentMethodId = await addPaymentMethod(test, billingAccountId);
      const res = await recordVerification(billingAccountId, paymentMethodId, { outcome: 'verified' });

      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ paymentMethodId, status: 'verified', verificationRecordedAt: expect.any(String) });
      expect(res.json().verificationReason).toBeUndefined();
    });

    it('marks an unverified payment method failed, with the reason', async () => {
      const billingAccountId = await openBillingAccount(test);
      const paymentMethodId = await addPaymentMethod(test, billingAccountId);
      const res = await recordVerification(billingAccountId, paymentMethodId, { outcome: 'failed', reason: 'R03 no account / unable to locate' });

      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: 'failed', verificationReason: 'R03 no account / unable to locate' });
      const read = await test.call({ url: `/v1/billing-accounts/${billingAccountId}/payment-methods/${paymentMethodId}` });
      expect(read.json().status).toBe('failed');
    });

    it.each([
      ['verified', 'failed'],
      ['failed', 'verified'],
      ['verified', 'verified'],
    ])('keeps a %s outcome final: recording %s afterwards answers 409', async (firstOutcome, secondOutcome) => {
      const billingAccountId = await openBillingAccount(test);
      const paymentMethodId = await addPaymentMethod(test, billingAccountId);
      await recordVerification(billingAccountId, paymentMethodId, { outcome: firstOutcome });

      const res = await recordVerification(billingAccountId, paymentMethodId, { outcome: secondOutcome });
      expectProblem(res, 409, 'VERIFICATION_ALREADY_RECORDED');
      const read = await test.call({ url: `/v1/billing-accounts/${billingAccountId}/payment-methods/${paymentMethodId}` });
      expect(read.json().status).toBe(firstOutcome);
    });

    it('refuses to record a verification on a closed billing account with 409 BILLING_ACCOUNT_CLOSED', async () => {
      const billingAccountId = await openBillingAccount(test);
      const paymentMethodId = await addPaymentMethod(test, billingAccountId);
      await closeBillingAccount(billingAccountId);

      expectProblem(await recordVerification(billingAccountId, paymentMethodId, { outcome: 'verified' }), 409, 'BILLING_ACCOUNT_CLOSED');
    });

    it('answers 404 for an unknown payment method or billing account', async () => {
      const billingAccountId = await openBillingAccount(test);
      expectProblem(await recordVerification(billingAccountId, randomUUID(), { outcome: 'verified' }), 404, 'PAYMENT_METHOD_NOT_FOUND');
      expectProblem(await recordVerification(randomUUID(), randomUUID(), { outcome: 'verified' }), 404, 'BILLING_ACCOUNT_NOT_FOUND');
    });

    it.each([
      ['an outcome that is not final', { outcome: 'unverified' }],
      ['no outcome', { reason: 'R03' }],
      ['an empty reason', { outcome: 'failed', reason: '' }],
    ])('refuses %s with 400', async (_label, payload) => {
      const billingAccountId = await openBillingAccount(test);
      const paymentMethodId = await addPaymentMethod(test, billingAccountId);
      expectProblem(await recordVerification(billingAccountId, paymentMethodId, payload), 400, 'VALIDATION_FAILED');
    });
  });

  describe('logs', () => {
    it('never write the bank account number, not even when a duplicate is refused', async () => {
      const accountNumber = '314159265358';
      const billingAccountId = await openBillingAccount(test);
      test.logs.clear();

      await addPaymentMethod(test, billingAccountId, bankAccount({ accountNumber }));
      const duplicate = await add(billingAccountId, bankAccount({ accountNumber }));

      expect(duplicate.statusCode).toBe(409);
      const records = test.logs.records();
      // The refusal was logged (so the logs were captured), and as a refusal, not as a failure.
      expect(records).toContainEqual(expect.objectContaining({ msg: 'request refused', code: 'PAYMENT_METHOD_ALREADY_EXISTS' }));
      expect(records.filter((record) => Number(record.level) >= 50)).toEqual([]);
      expect(test.logs.text()).not.toContain(accountNumber);
    });
  });
});
