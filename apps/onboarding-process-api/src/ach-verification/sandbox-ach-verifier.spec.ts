import { AchVerifierUnavailable } from './ach-errors';
import { confirmMicroDeposits, type AchBankAccount } from './ach-verifier';
import {
  SANDBOX_FIXED_MICRO_DEPOSITS,
  SANDBOX_INSTANT_ROUTING_NUMBER,
  SandboxAchTestAccountSuffix,
  SandboxAchVerifier,
  type RandomInt,
} from './sandbox-ach-verifier';

const NOW = new Date('2025-06-15T12:00:00.000Z');
/** A valid routing number that is not the instant-verification bank: micro-deposits. */
const MICRO_DEPOSIT_ROUTING = '021000021';

const account = (accountNumber: string, routingNumber = MICRO_DEPOSIT_ROUTING): AchBankAccount => ({
  routingNumber,
  accountNumber,
  accountType: 'checking',
});

/** A random source that gives back the listed values in turn. */
function scripted(...values: number[]): RandomInt & { calls: Array<[number, number]> } {
  const calls: Array<[number, number]> = [];
  const source = (min: number, max: number) => {
    calls.push([min, max]);
    const value = values.shift();
    if (value === undefined) throw new Error('random source exhausted');
    return value;
  };
  return Object.assign(source, { calls });
}

describe('SandboxAchVerifier', () => {
  it('verifies the documented account at the instant bank at once', async () => {
    const verifier = new SandboxAchVerifier({ now: () => NOW });
    await expect(verifier.startVerification(account('000123456789', SANDBOX_INSTANT_ROUTING_NUMBER))).resolves.toEqual({
      outcome: 'verified',
      method: 'instant',
    });
  });

  it('sends micro-deposits elsewhere, with amounts from the random source and an expiry days ahead', async () => {
    const random = scripted(17, 63);
    const verifier = new SandboxAchVerifier({
      now: () => NOW,
      randomInt: random,
      microDepositValidityDays: 5,
    });
    await expect(verifier.startVerification(account('000123456789'))).resolves.toEqual({
      outcome: 'micro_deposits_sent',
      amountsMinor: [17, 64],
      expiresAt: new Date('2025-06-20T12:00:00.000Z'),
    });
    // First from 1–99, second from the 98 values other than the first.
    expect(random.calls).toEqual([
      [1, 100],
      [1, 99],
    ]);
  });

  it('never sends the same amount twice in one pair', async () => {
    for (const [first, drawn, second] of [
      [1, 1, 2],
      [50, 49, 49],
      [50, 50, 51],
      [99, 98, 98],
      [1, 98, 99],
    ] as const) {
      const verifier = new SandboxAchVerifier({
        now: () => NOW,
        randomInt: scripted(first, drawn),
      });
      const result = await verifier.startVerification(account('000123456789'));
      expect(result).toMatchObject({ amountsMinor: [first, second] });
    }
  });

  it('keeps to 1–99 cents and different amounts with the default random source', async () => {
    const verifier = new SandboxAchVerifier({ now: () => NOW });
    for (let i = 0; i < 200; i++) {
      const result = await verifier.startVerification(account('000123456789'));
      if (result.outcome !== 'micro_deposits_sent') throw new Error(`unexpected ${result.outcome}`);
      const [a, b] = result.amountsMinor;
      for (const amount of [a, b]) {
        expect(Number.isInteger(amount)).toBe(true);
        expect(amount).toBeGreaterThanOrEqual(1);
        expect(amount).toBeLessThanOrEqual(99);
      }
      expect(a).not.toBe(b);
    }
  });

  it('refuses a random source that strays outside 1–99', async () => {
    const verifier = new SandboxAchVerifier({
      now: () => NOW,
      randomInt: scripted(0, 5),
    });
    await expect(verifier.startVerification(account('000123456789'))).rejects.toThrow(RangeError);
  });

  it('sends the documented fixed amounts to an account ending 3245, which the applicant can then confirm', async () => {
    const verifier = new SandboxAchVerifier({
      now: () => NOW,
      randomInt: scripted(),
    });
    const result = await verifier.startVerification(account(`00012345${SandboxAchTestAccountSuffix.fixedMicroDeposits}`));
    expect(result).toMatchObject({
      outcome: 'micro_deposits_sent',
      amountsMinor: [32, 45],
    });
    if (result.outcome === 'micro_deposits_sent') expect(confirmMicroDeposits(result.amountsMinor, [45, 32])).toBe(true);
    expect(SANDBOX_FIXED_MICRO_DEPOSITS).toEqual([32, 45]);
  });

  it.each(['011000016', '131000018', '12345678'])('fails the routing number %s as INVALID_ROUTING_NUMBER', async (routingNumber) => {
    const verifier = new SandboxAchVerifier({ now: () => NOW });
    await expect(verifier.startVerification(account('000123456789', routingNumber))).resolves.toMatchObject({
      outcome: 'failed',
      reasonCode: 'INVALID_ROUTING_NUMBER',
    });
  });

  it.each(['123', '1'.repeat(18), '12345-678'])('fails the account number %s as INVALID_ACCOUNT_NUMBER', async (accountNumber) => {
    const verifier = new SandboxAchVerifier({ now: () => NOW });
    await expect(verifier.startVerification(account(accountNumber))).resolves.toMatchObject({
      outcome: 'failed',
      reasonCode: 'INVALID_ACCOUNT_NUMBER',
    });
  });

  it.each([
    [SandboxAchTestAccountSuffix.accountClosed, 'ACCOUNT_CLOSED'],
    [SandboxAchTestAccountSuffix.noAccount, 'NO_ACCOUNT'],
    [SandboxAchTestAccountSuffix.invalidAccountNumber, 'INVALID_ACCOUNT_NUMBER'],
    [SandboxAchTestAccountSuffix.accountFrozen, 'ACCOUNT_FROZEN'],
    [SandboxAchTestAccountSuffix.nonTransactionAccount, 'NON_TRANSACTION_ACCOUNT'],
  ])('fails an account ending %s as %s, at the instant bank too', async (suffix, reasonCode) => {
    const verifier = new SandboxAchVerifier({ now: () => NOW });
    const accountNumber = `00012345${suffix}`;
    for (const routingNumber of [MICRO_DEPOSIT_ROUTING, SANDBOX_INSTANT_ROUTING_NUMBER]) {
      const result = await verifier.startVerification(account(accountNumber, routingNumber));
      expect(result).toMatchObject({ outcome: 'failed', reasonCode });
      expect(JSON.stringify(result)).not.toContain(accountNumber);
    }
  });

  it('simulates an outage that never ends on an account ending 9998', async () => {
    const verifier = new SandboxAchVerifier({ now: () => NOW });
    for (let attempt = 0; attempt < 3; attempt++) {
      const error = await verifier.startVerification(account('000123459998')).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AchVerifierUnavailable);
      expect(error).toMatchObject({
        transient: true,
        code: 'ACH_VERIFIER_UNAVAILABLE',
      });
    }
  });

  it('simulates a short outage on an account ending 9999: two transient errors, then an answer', async () => {
    const verifier = new SandboxAchVerifier({
      now: () => NOW,
      randomInt: scripted(10, 20),
    });
    const flaky = account('000123459999');
    await expect(verifier.startVerification(flaky)).rejects.toBeInstanceOf(AchVerifierUnavailable);
    await expect(verifier.startVerification(flaky)).rejects.toBeInstanceOf(AchVerifierUnavailable);
    await expect(verifier.startVerification(flaky)).resolves.toMatchObject({
      outcome: 'micro_deposits_sent',
      amountsMinor: [10, 21],
    });
    // Another flaky account has its own outage.
    await expect(verifier.startVerification(account('000555559999'))).rejects.toBeInstanceOf(AchVerifierUnavailable);
  });

  it('refuses a validity period that is not positive', () => {
    expect(() => new SandboxAchVerifier({ microDepositValidityDays: 0 })).toThrow(RangeError);
  });
});
