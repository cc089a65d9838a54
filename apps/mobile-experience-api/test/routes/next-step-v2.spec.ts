import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { NextStepSchema, mobileExperienceSchemas } from '@bartholomew/contracts-mobile-experience';
import { SANDBOX, newKey, startOnboardingStack, type OnboardingStack } from '@bartholomew/test-stack';
import { type TestApp, buildTestApp, microDepositForm, signUpForm } from '../helper';

/** The contract's own check of an answer: exactly one variant of the union (the discriminator is documentation for generators). */
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
for (const schema of mobileExperienceSchemas) ajv.addSchema(schema);
const isNextStep = (value: unknown) => ajv.validate(NextStepSchema.$id as string, value);

/**
 * `/v2`: the same "what next" answers as `/v1`, published as a union discriminated on `next` — the
 * breaking-change check refuses that change under `/v1`, where clients are generated from a flat
 * object. Over the real Process API and System APIs.
 */
describe('the "what next" answer under /v2, over the real Process API', () => {
  let stack: OnboardingStack;
  let test: TestApp;

  beforeAll(async () => {
    stack = await startOnboardingStack();
    test = await buildTestApp({ processUrl: stack.processUrl });
  });
  afterAll(async () => {
    await test?.close();
    await stack?.close();
  });

  /** Polls `/v2` (and `/v1` alongside) until the screen is no longer `processing`; every answer must be a valid variant. */
  async function settleBoth(as: string, id: string): Promise<{ v1: unknown; v2: unknown }> {
    for (let poll = 0; poll < 300; poll++) {
      const v2 = await test.call({ url: `/v2/onboardings/${id}`, as });
      expect({ status: v2.statusCode, valid: isNextStep(v2.json()) }).toEqual({ status: 200, valid: true });
      if (v2.json().next !== 'processing') {
        const v1 = await test.call({ url: `/v1/onboardings/${id}`, as });
        return { v1: v1.json(), v2: v2.json() };
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`onboarding ${id} kept processing`);
  }

  it('signs up at /v2, points Location at /v2 and answers each screen with exactly its fields — the same JSON as /v1', async () => {
    const res = await test.call({
      method: 'POST',
      url: '/v2/onboardings',
      payload: signUpForm(),
      headers: { 'idempotency-key': newKey() },
      as: 'vera',
    });
    expect(res.statusCode).toBe(202);
    const accepted = res.json();
    expect({ location: res.headers.location, body: accepted, valid: isNextStep(accepted) }).toEqual({
      location: `/v2/onboardings/${accepted.id}`,
      body: { id: accepted.id, next: 'processing', pollAfterSeconds: 2 },
      valid: true,
    });
    const { v1, v2 } = await settleBoth('vera', accepted.id);
    expect(v2).toEqual({ id: accepted.id, next: 'welcome', account: { id: expect.any(String), number: expect.stringMatching(/^•••\d{4}$/) } });
    expect(v1).toEqual(v2);
  });

  it('asks for the deposits, then confirms them at /v2', async () => {
    const res = await test.call({
      method: 'POST',
      url: '/v2/onboardings',
      payload: microDepositForm(),
      headers: { 'idempotency-key': newKey() },
      as: 'walt',
    });
    const { v2: verify } = await settleBoth('walt', res.json().id);
    expect(verify).toEqual({ id: res.json().id, next: 'verify_deposits', deposits: { attemptsLeft: 3, expiresAt: expect.any(String) } });
    const confirmed = await test.call({
      method: 'POST',
      url: `/v2/onboardings/${res.json().id}/deposits`,
      payload: { amounts: SANDBOX.fixedDeposits },
      as: 'walt',
    });
    expect({ status: confirmed.statusCode, valid: isNextStep(confirmed.json()), next: confirmed.json().next }).toEqual({
      status: 200,
      valid: true,
      next: expect.stringMatching(/^(processing|welcome)$/),
    });
  });

  it('refuses what no screen is: a variant with another screen’s field, or a welcome without its account', () => {
    const id = '5f0c8a9e-4a8e-4e7b-9d3c-3f1d2b6a7c10';
    expect(isNextStep({ id, next: 'processing', pollAfterSeconds: 2 })).toBe(true);
    expect(isNextStep({ id, next: 'processing', pollAfterSeconds: 2, account: { id, number: '•••4821' } })).toBe(false);
    expect(isNextStep({ id, next: 'welcome' })).toBe(false);
    expect(isNextStep({ id, next: 'rejected', pollAfterSeconds: 2 })).toBe(false);
  });

  it('documents /v2 as a oneOf with a discriminator on `next`, and leaves /v1 as published, deprecated', async () => {
    const document = (await test.app.inject({ url: '/openapi.json' })).json();
    const answerOf = (path: string, method: string, status: string) =>
      document.paths[path][method].responses[status].content['application/json'].schema;
    for (const [path, method, status] of [
      ['/v2/onboardings', 'post', '202'],
      ['/v2/onboardings/{id}', 'get', '200'],
      ['/v2/onboardings/{id}/deposits', 'post', '200'],
      ['/v2/accounts', 'post', '202'],
    ]) {
      expect({ path, schema: answerOf(path, method, status), deprecated: document.paths[path][method].deprecated }).toEqual({
        path,
        schema: { $ref: '#/components/schemas/NextStep' },
        deprecated: undefined,
      });
      const v1 = path.replace('/v2/', '/v1/');
      expect({ v1, schema: answerOf(v1, method, status), deprecated: document.paths[v1][method].deprecated }).toEqual({
        v1,
        schema: { $ref: '#/components/schemas/NextStepAnswer' },
        deprecated: true,
      });
    }
    const { NextStep, WelcomeStep } = document.components.schemas;
    expect(NextStep.discriminator).toEqual({
      propertyName: 'next',
      mapping: {
        processing: '#/components/schemas/ProcessingStep',
        verify_deposits: '#/components/schemas/VerifyDepositsStep',
        in_review: '#/components/schemas/InReviewStep',
        welcome: '#/components/schemas/WelcomeStep',
        rejected: '#/components/schemas/RejectedStep',
        failed: '#/components/schemas/FailedStep',
      },
    });
    expect(NextStep.oneOf).toEqual(Object.values(NextStep.discriminator.mapping).map(($ref) => ({ $ref })));
    expect(WelcomeStep).toMatchObject({
      required: ['id', 'next', 'account'],
      properties: { next: { enum: ['welcome'] } },
      additionalProperties: false,
    });
  });
});
