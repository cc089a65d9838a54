import { customerRequest, buildTestApp, getJson, newIdempotencyKey, postJson, PROBLEM_JSON, UNKNOWN_ID, type TestApp } from '../helper';

describe('customer routes', () => {
  let testApp: TestApp;
  beforeAll(async () => {
    testApp = await buildTestApp();
  });
  afterAll(() => testApp.close());

  const create = (body: unknown, key = newIdempotencyKey()) => postJson(testApp.app, '/v1/customers', body, { 'idempotency-key': key });

  describe('POST /v1/customers', () => {
    it('creates a customer (201) and shows only the last four digits of the SSN', async () => {
      const request = customerRequest({ taxId: '111-22-3333' });
      const res = await create(request);
      expect(res.statusCode).toBe(201);
      expect(res.headers['idempotent-replayed']).toBeUndefined();
      const customer = res.json();
      expect(customer).toEqual({
        customerId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        legalName: request.legalName,
        dateOfBirth: request.dateOfBirth,
        taxIdLast4: '3333',
        email: request.email,
        phone: request.phone,
        address: request.address,
        createdAt: expect.any(String),
      });
      expect(res.body).not.toMatch(/111-?22-?3333/);
    });

    it('refuses a second customer with the same SSN under another key (409 CUSTOMER_ALREADY_EXISTS), dashed or not', async () => {
      expect((await create(customerRequest({ taxId: '222-33-4444' }))).statusCode).toBe(201);
      for (const taxId of ['222-33-4444', '222334444']) {
        const res = await create(customerRequest({ taxId, legalName: 'Grace Hopper' }));
        expect(res.statusCode).toBe(409);
        expect(res.headers['content-type']).toMatch(PROBLEM_JSON);
        expect(res.json()).toMatchObject({ status: 409, code: 'CUSTOMER_ALREADY_EXISTS', instance: '/v1/customers' });
        expect(res.body).not.toMatch(/222-?33-?4444|customers_tax_id|23505/);
      }
    });

    it('replays the first answer to the same key and body, marked idempotent-replayed', async () => {
      const request = customerRequest();
      const key = newIdempotencyKey();
      const first = await create(request, key);
      const again = await create(request, key);
      expect(first.statusCode).toBe(201);
      expect(again.statusCode).toBe(201);
      expect(again.json()).toEqual(first.json());
      expect(again.headers['idempotent-replayed']).toBe('true');
    });

    it('refuses the same key with a different body (422 IDEMPOTENCY_KEY_REUSED)', async () => {
      const key = newIdempotencyKey();
      expect((await create(customerRequest(), key)).statusCode).toBe(201);
      const res = await create(customerRequest({ legalName: 'Someone Else' }), key);
      expect(res.statusCode).toBe(422);
      expect(res.json()).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
    });

    it('requires a well-formed Idempotency-Key (400)', async () => {
      const missing = await postJson(testApp.app, '/v1/customers', customerRequest());
      const malformed = await postJson(testApp.app, '/v1/customers', customerRequest(), { 'idempotency-key': 'short' });
      for (const res of [missing, malformed]) {
        expect(res.statusCode).toBe(400);
        expect(res.json()).toMatchObject({
          code: 'VALIDATION_FAILED',
          errors: [expect.objectContaining({ path: expect.stringMatching(/^headers/) })],
        });
      }
    });
  });

  describe('POST /v1/customers/search', () => {
    const search = (body: unknown) => postJson(testApp.app, '/v1/customers/search', body);

    it('finds the customer holding an SSN (200, one item), dashed or bare, without showing the SSN', async () => {
      const created = (await create(customerRequest({ taxId: '234-56-7890' }))).json();
      for (const taxId of ['234-56-7890', '234567890']) {
        const res = await search({ taxId });
        expect(res.statusCode).toBe(200);
        expect(res.json()).toEqual({ items: [created] });
        expect(res.body).not.toMatch(/234-?56-?7890/);
      }
    });

    it('answers no item, not 404, for an SSN no customer holds', async () => {
      const res = await search({ taxId: '234-56-7899' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ items: [] });
    });

    it('refuses anything but one well-formed SSN in the body (400)', async () => {
      for (const body of [{}, { taxId: '23456789' }, { taxId: 234567890 }, { taxId: '234-56-7890', legalName: 'Ada' }]) {
        const res = await search(body);
        expect(res.statusCode).toBe(400);
        expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
      }
    });
  });

  describe('GET /v1/customers/{customerId}', () => {
    it('reads a customer back (200)', async () => {
      const created = (await create(customerRequest())).json();
      const res = await getJson(testApp.app, `/v1/customers/${created.customerId}`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual(created);
    });

    it('answers 404 CUSTOMER_NOT_FOUND for an unknown customer', async () => {
      const res = await getJson(testApp.app, `/v1/customers/${UNKNOWN_ID}`);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 'CUSTOMER_NOT_FOUND', detail: `Customer ${UNKNOWN_ID} was not found` });
    });

    it('answers 400 for a customer id that is not a UUID', async () => {
      const res = await getJson(testApp.app, '/v1/customers/42');
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED' });
    });
  });
});
