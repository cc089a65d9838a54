import { OnboardingRefusalCode } from '@bartholomew/contracts-onboarding-process';
import { WebProblemCode } from '@bartholomew/contracts-web-experience';
import { RefusingProcess, refusalMismatches, refusalWalk, type RouteCall } from '@bartholomew/experience-kit/testing';
import { type TestApp, buildTestApp } from '../helper';

const ID = '5f0c8a9e-4a8e-4e7b-9d3c-3f1d2b6a7c10';

/** Every route of this API; each calls the Process API first thing. */
const ROUTES: RouteCall[] = [
  { method: 'GET', url: '/v1/applications?cursor=Zm9v' },
  { method: 'GET', url: `/v1/applications/${ID}` },
  { method: 'GET', url: '/v1/overview' },
  { method: 'GET', url: '/v1/products' },
  { method: 'GET', url: `/v1/accounts/${ID}/transactions?cursor=Zm9v` },
];

/**
 * The walk over every refusal code of the Process API's contract (read from the contract): each
 * one, raised by the Process API port as its HTTP client raises it, reaches the browser as this
 * API's own problem — or, where the fault is ours, as a neutral 500 logged with the cause.
 */
describe('every refusal of the Process API, through the web Experience API', () => {
  const process = new RefusingProcess();
  let test: TestApp;

  beforeAll(async () => {
    test = await buildTestApp({ processUrl: 'http://127.0.0.1:9', process });
  });
  afterAll(async () => test?.close());

  it.each(refusalWalk().map((step) => [step.code, step] as const))(
    'answers the Process API’s %s on every route in its own words',
    async (_code, step) => {
      const ownCodes = new Set<string>([...Object.values(WebProblemCode), ...Object.values(OnboardingRefusalCode)]);
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
