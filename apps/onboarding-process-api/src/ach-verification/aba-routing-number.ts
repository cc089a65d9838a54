/**
 * ABA routing transit numbers: nine digits whose check digit makes
 * 3·(d1+d4+d7) + 7·(d2+d5+d8) + 1·(d3+d6+d9) a multiple of 10, and whose first two digits name a
 * Federal Reserve routing symbol: 00 (US government), 01–12 (banks), 21–32 (thrifts), 61–72
 * (electronic transactions) or 80 (traveller's cheques).
 */

const WEIGHTS = [3, 7, 1, 3, 7, 1, 3, 7, 1] as const;

export type RoutingNumberCheck = { valid: true } | { valid: false; problem: string };

export function checkRoutingNumber(routingNumber: string): RoutingNumberCheck {
  if (!/^\d{9}$/.test(routingNumber)) return { valid: false, problem: 'Routing number is not nine digits' };
  const prefix = Number(routingNumber.slice(0, 2));
  const knownPrefix = prefix <= 12 || (prefix >= 21 && prefix <= 32) || (prefix >= 61 && prefix <= 72) || prefix === 80;
  if (!knownPrefix)
    return {
      valid: false,
      problem: 'Routing number does not start with a Federal Reserve routing symbol',
    };
  if (abaChecksum(routingNumber) % 10 !== 0) return { valid: false, problem: 'Routing number check digit is wrong' };
  return { valid: true };
}

/** The weighted digit sum; a valid routing number's is a multiple of 10. */
export function abaChecksum(digits: string): number {
  let sum = 0;
  for (let i = 0; i < WEIGHTS.length; i++) sum += Number(digits[i]) * (WEIGHTS[i] as number);
  return sum;
}
