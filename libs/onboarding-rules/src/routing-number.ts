/**
 * ABA routing transit numbers, by the American Bankers Association's rules (ABA Routing Number
 * Policy, https://www.aba.com/about-us/routing-number; Federal Reserve Financial Services,
 * "Routing Number Administration"):
 *
 * - nine digits, the ninth a check digit: 3·(d1+d4+d7) + 7·(d2+d5+d8) + 1·(d3+d6+d9) is a
 *   multiple of 10 — it catches every single-digit typo and most adjacent swaps;
 * - the first two digits are the Federal Reserve routing symbol: 01–12 (the twelve Federal
 *   Reserve districts, banks), 21–32 (the same districts, thrift institutions), 61–72 (electronic
 *   transaction identifiers) or 80 (traveller's cheques). 00 is the U.S. Government's symbol,
 *   used only by the Treasury: never an applicant's bank, so it is refused too (the all-zero
 *   number passes the checksum — 0 is a multiple of 10 — and once opened accounts here).
 */
import { FieldErrorCode } from './field-error';

const WEIGHTS = [3, 7, 1, 3, 7, 1, 3, 7, 1] as const;

export type RoutingNumberCheck =
  | { valid: true }
  | {
      valid: false;
      code: (typeof FieldErrorCode)['ROUTING_NUMBER_MALFORMED' | 'ROUTING_NUMBER_UNASSIGNED_PREFIX' | 'ROUTING_NUMBER_CHECK_DIGIT'];
      problem: string;
    };

/** Whether the first two digits are a routing symbol a bank account can be held under. */
export function isAssignedRoutingSymbol(prefix: number): boolean {
  return (prefix >= 1 && prefix <= 12) || (prefix >= 21 && prefix <= 32) || (prefix >= 61 && prefix <= 72) || prefix === 80;
}

export function checkRoutingNumber(routingNumber: string): RoutingNumberCheck {
  if (!/^\d{9}$/.test(routingNumber))
    return { valid: false, code: FieldErrorCode.ROUTING_NUMBER_MALFORMED, problem: 'Routing number is not nine digits' };
  if (!isAssignedRoutingSymbol(Number(routingNumber.slice(0, 2)))) {
    return {
      valid: false,
      code: FieldErrorCode.ROUTING_NUMBER_UNASSIGNED_PREFIX,
      problem: 'Routing number does not start with a Federal Reserve routing symbol of a bank',
    };
  }
  if (abaChecksum(routingNumber) % 10 !== 0)
    return { valid: false, code: FieldErrorCode.ROUTING_NUMBER_CHECK_DIGIT, problem: 'Routing number check digit is wrong' };
  return { valid: true };
}

/** The weighted digit sum; a valid routing number's is a multiple of 10. */
export function abaChecksum(digits: string): number {
  let sum = 0;
  for (let i = 0; i < WEIGHTS.length; i++) sum += Number(digits[i]) * (WEIGHTS[i] as number);
  return sum;
}
