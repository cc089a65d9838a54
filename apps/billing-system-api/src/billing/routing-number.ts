import { checkRoutingNumber } from '@bartholomew/onboarding-rules';

/**
 * Whether a routing (ABA transit) number is one a bank account can be held under: nine digits, a
 * Federal Reserve routing symbol of a bank and the ABA check digit. The rule itself is written
 * once, in @bartholomew/onboarding-rules (with its sources); billing refuses what it refuses
 * before an ACH debit is attempted against a bank that does not exist.
 */
export function isValidRoutingNumber(routingNumber: string): boolean {
  return checkRoutingNumber(routingNumber).valid;
}
