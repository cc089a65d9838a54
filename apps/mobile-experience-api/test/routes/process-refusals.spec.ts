import { MobileProblemCode } from '@bartholomew/contracts-mobile-experience';
import { OnboardingRefusalCode } from '@bartholomew/contracts-onboarding-process';
import { RefusingProcess, refusalMismatches, refusalWalk, type RouteCall } from '@bartholomew/experience-kit/testing';
import { newKey } from '@bartholomew/test-stack';
import { type TestApp, buildTestApp, signUpForm } from '../helper';

const ID = '5f0c8a9e-4a8e-4e7b-9d3c-3f1d2b6a7c10';

/** Every route of this API; each calls the Process API first thing. */
const ROUTES: RouteCall[] = [
  {
    method: 'POST',
    url: '/v1/onboardings',
    payload: signUpForm(),
    headers: { 'idempotency-key': newKey() },
  },
  { method: 'GET', url: `/v1/onboardings/${ID}` },
  {
    method: 'POST',
    url: `/v1/onboardings/${ID}/deposits`,
    payload: { amounts: [32, 45] },
  },
  { method: 'GET', url: '/v1/home' },
  { method: 'GET', url: `/v1/accounts/${ID}` },
  { method: 'GET', url: '/v1/billing' },
  { method: 'GET', url: '/v1/products' },
  // `/v2` answers "what next" described as a union; the same calls, the same refusals.
  {
    method: 'POST',
    url: '/v2/onboardings',
    payload: signUpForm(),
    headers: { 'idempotency-key': newKey() },
  },
  { method: 'GET', url: `/v2/onboardings/${ID}` },
  {
    method: 'POST',
    url: `/v2/onboardings/${ID}/deposits`,
    payload: { amounts: [32, 45] },
  },
];

/**
 * The walk over every refusal code of the Process API's contract (read from the contract): each
 * one, raised by the Process API port as its HTTP client raises it, reaches the phone as this
 * API's own problem — or, where the fault is ours, as a neutral 500 logged with the cause.
 */
describe('every refusal of the Process API, through the mobile Experience API', () => {
  const process = new RefusingProcess();
  let test: TestApp;

  beforeAll(async () => {
    test = await buildTestApp({ processUrl: 'http://127.0.0.1:9', process });
  });
  afterAll(async () => test?.close());

  it.each(refusalWalk().map((step) => [step.code, step] as const))(
    'answers the Process API’s %s on every route in its own words',
    async (_code, step) => {
      const ownCodes = new Set<string>([...Object.values(MobileProblemCode), ...Object.values(OnboardingRefusalCode)]);
      const send = (route: RouteCall) => test.call({ ...route, as: 'walker' });
      expect(
        await refusalMismatches({
          step,
          process,
          routes: ROUTES,
          send,
          ownCodes,
          logs: test.logs,
        }),
      ).toEqual([]);
    },
  );
});
