/**
 * Onboardings for the web views to show, started the way the phone app starts them: through the
 * Process API as the mobile Experience API (another experience caller of the same Process API —
 * the reuse this layer is about). Plain HTTP from the test, not the web API under test.
 */
import { setTimeout as delay } from 'node:timers/promises';
import { request } from 'undici';
import type { Onboarding, StartOnboardingRequest } from '@bartholomew/contracts-onboarding-process';
import { EXPERIENCE_SECRETS, SANDBOX, freshAccountNumber, freshSsn, newKey, type OnboardingStack } from '@bartholomew/test-stack';

const asMobile = (endUser: string) => ({
  'x-service-credential': `mobile-experience-api.${EXPERIENCE_SECRETS['mobile-experience-api']}`,
  'x-end-user-subject': endUser,
});

export function application(overrides: { ssn?: string; microDeposits?: boolean; deposit?: number } = {}): StartOnboardingRequest {
  return {
    applicant: {
      legalName: 'Ada Lovelace',
      dateOfBirth: '1990-04-01',
      ssn: overrides.ssn ?? freshSsn(),
      email: 'ada@example.com',
      phone: '+12125550123',
      address: { line1: '1 Main St', line2: 'Apt 4', city: 'New York', state: 'NY', postalCode: '10001' },
    },
    product: { productType: 'checking', planCode: 'premium-checking' },
    fundingAccount: overrides.microDeposits
      ? { routingNumber: SANDBOX.microDepositRouting, accountNumber: freshAccountNumber(SANDBOX.fixedDepositsSuffix), accountType: 'checking' }
      : { routingNumber: SANDBOX.instantRouting, accountNumber: freshAccountNumber(), accountType: 'checking' },
    openingDeposit: { amountMinor: overrides.deposit ?? 2500, currency: 'USD' },
  };
}

async function processCall<T>(
  stack: OnboardingStack,
  method: 'GET' | 'POST',
  path: string,
  endUser: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<T> {
  const res = await request(`${stack.processUrl}${path}`, {
    method,
    headers: { ...asMobile(endUser), ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.body.text();
  if (res.statusCode >= 300) throw new Error(`${method} ${path} answered ${res.statusCode}: ${text}`);
  return JSON.parse(text) as T;
}

/** Starts an onboarding for `endUser` and waits until it stops running (completed, waiting, rejected...). */
export async function seedOnboarding(stack: OnboardingStack, endUser: string, body: StartOnboardingRequest = application()): Promise<Onboarding> {
  const started = await processCall<Onboarding>(stack, 'POST', '/v1/onboardings', endUser, body, { 'idempotency-key': newKey() });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const onboarding = await processCall<Onboarding>(stack, 'GET', `/v1/onboardings/${started.id}`, endUser);
    if (!['pending', 'in_progress'].includes(onboarding.status)) return onboarding;
    await delay(100);
  }
  throw new Error(`onboarding ${started.id} kept running`);
}

/** Posts a credit to an account in the account System API (as the Process API would). */
export async function postCredit(stack: OnboardingStack, accountId: string, amountMinor: number): Promise<void> {
  const res = await request(`${stack.accountUrl}/v1/accounts/${accountId}/transactions`, {
    method: 'POST',
    headers: { ...stack.asProcess, 'content-type': 'application/json', 'idempotency-key': newKey() },
    body: JSON.stringify({ direction: 'credit', amount: { amountMinor, currency: 'USD' }, description: `Transfer of ${amountMinor}` }),
  });
  await res.body.dump();
  if (res.statusCode !== 201) throw new Error(`posting a credit answered ${res.statusCode}`);
}
