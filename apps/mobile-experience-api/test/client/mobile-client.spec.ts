import { MobileApiError, MobileExperienceClient, MobileNetworkError, type Fetch, type NextStep } from '@bartholomew/clients-mobile-experience';
import { type TestApp, buildTestApp, microDepositForm, signUpForm } from '../helper';
import { SANDBOX, newKey, startOnboardingStack, type OnboardingStack } from '@bartholomew/test-stack';

/**
 * The React Native client library against the real mobile API over HTTP (global fetch), with the
 * real Process API and System APIs behind it: the app's journey exactly as the app makes it.
 */
describe('the mobile client against the real mobile API', () => {
  let stack: OnboardingStack;
  let test: TestApp;
  let baseUrl: string;
  const statuses: number[] = [];
  /** The platform's fetch, recording statuses (to see the 304s). */
  const recordingFetch: Fetch = async (url, init) => {
    const response = await fetch(url, init);
    statuses.push(response.status);
    return response;
  };
  const clientFor = (subject: string) => new MobileExperienceClient({ baseUrl, getToken: () => test.idp.token(subject), fetch: recordingFetch });

  async function untilSettled(client: MobileExperienceClient, answer: NextStep): Promise<NextStep> {
    let current = answer;
    for (let i = 0; i < 300 && current.next === 'processing'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      current = await client.getNextStep(current.id);
    }
    return current;
  }

  beforeAll(async () => {
    stack = await startOnboardingStack();
    test = await buildTestApp({ processUrl: stack.processUrl });
    await test.app.listen({ host: '127.0.0.1', port: 0 });
    const address = test.app.server.address();
    if (!address || typeof address === 'string') throw new Error('no port');
    baseUrl = `http://127.0.0.1:${address.port}`;
  });
  afterAll(async () => {
    await test?.close();
    await stack?.close();
  });

  it('walks sign-up with micro-deposits to the home screen, and revalidates unchanged screens with 304', async () => {
    const client = clientFor('nora');
    const accepted = await client.startOnboarding(microDepositForm(), { idempotencyKey: newKey() });
    expect(accepted.next).toBe('processing');
    const verify = await untilSettled(client, accepted);
    expect(verify).toMatchObject({ next: 'verify_deposits', deposits: { attemptsLeft: 3 } });

    const wrong = await client.confirmDeposits(accepted.id, [1, 2]).catch((error: unknown) => error);
    expect(wrong).toBeInstanceOf(MobileApiError);
    expect(wrong).toMatchObject({ status: 422, code: 'MICRO_DEPOSIT_AMOUNTS_MISMATCH', problem: { attemptsLeft: 2 } });

    const welcome = await untilSettled(client, await client.confirmDeposits(accepted.id, SANDBOX.fixedDeposits));
    expect(welcome).toMatchObject({ next: 'welcome', account: { id: expect.any(String) } });
    if (welcome.next !== 'welcome') throw new Error(`expected the welcome screen, got ${welcome.next}`);

    const home = await client.getHome();
    expect(home.accounts.map((account) => account.id)).toEqual([welcome.account.id]);
    statuses.length = 0;
    expect(await client.getHome()).toBe(home);
    expect(statuses).toEqual([304]);

    const detail = await client.getAccount(welcome.account.id, { limit: 1 });
    expect(detail).toMatchObject({ id: welcome.account.id, balance: 2500, transactions: [{ amount: 2500 }], nextCursor: null });
    expect((await client.getBilling()).plans).toHaveLength(1);
  });

  it('follows a sign-up to the welcome screen with long polls: every answer after the first is held until the screen changed', async () => {
    const client = clientFor('lena');
    const accepted = await client.startOnboarding(signUpForm(), { idempotencyKey: newKey() });
    // The first read answers at once (no screen held yet); each one after it waits for a change.
    const seen = [await client.followNextStep(accepted.id)];
    const firstStatus = statuses.length;
    while (seen.at(-1)?.next === 'processing' && seen.length < 20) seen.push(await client.followNextStep(accepted.id, { waitSeconds: 10 }));
    expect(seen.at(-1)).toMatchObject({ next: 'welcome', account: { id: expect.any(String) } });
    // Never "nothing new" (304): a held read only came back with a different screen.
    expect(statuses.slice(firstStatus)).toEqual(seen.slice(1).map(() => 200));
    for (let i = 1; i < seen.length; i++) expect(seen[i]).not.toEqual(seen[i - 1]);
  });

  it('offers what the catalogue lists, and a plan it lists is one the API accepts', async () => {
    const client = clientFor('pia');
    const { products } = await client.listProducts();
    const savings = products.find((product) => product.account === 'savings');
    if (!savings) throw new Error('no savings account offered');
    const form = { ...signUpForm(), account: savings.account, plan: savings.plans[0].plan, initialDepositCents: savings.initialDepositCents.max };
    const accepted = await client.startOnboarding(form, { idempotencyKey: newKey() });
    expect(await untilSettled(client, accepted)).toMatchObject({ next: 'welcome' });
  });

  it("gets typed errors: another user's onboarding is not found, and a refused token asks to sign in again", async () => {
    const owner = clientFor('olga');
    const { id } = await owner.startOnboarding(signUpForm(), { idempotencyKey: newKey() });
    const stranger = await clientFor('sven')
      .getNextStep(id)
      .catch((error: unknown) => error);
    expect(stranger).toMatchObject({ name: 'MobileApiError', status: 404, code: 'ONBOARDING_NOT_FOUND' });

    const forged = new MobileExperienceClient({ baseUrl, getToken: () => test.idp.forgedToken('olga') });
    const refused = await forged.getHome().catch((error: unknown) => error);
    expect(refused).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', isUnauthenticated: true });
  });

  it('reports an unreachable API as a network error, not a crash', async () => {
    const client = new MobileExperienceClient({ baseUrl: 'http://127.0.0.1:9', getToken: () => 'token' });
    await expect(client.getHome()).rejects.toBeInstanceOf(MobileNetworkError);
  });
});
