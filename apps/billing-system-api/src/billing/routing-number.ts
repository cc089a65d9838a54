/** Weights of the ABA routing number checksum, digit by digit. */
const ABA_WEIGHTS = [3, 7, 1, 3, 7, 1, 3, 7, 1] as const;

/**
 * Whether a routing (ABA transit) number passes the American Bankers Association checksum:
 * 3·(d1+d4+d7) + 7·(d2+d5+d8) + (d3+d6+d9) is a multiple of 10. Catches every single-digit typo
 * and most transpositions before an ACH debit is attempted against a bank that does not exist.
 */
export function isValidRoutingNumber(routingNumber: string): boolean {
  if (!/^[0-9]{9}$/.test(routingNumber)) return false;
  const sum = ABA_WEIGHTS.reduce((total, weight, index) => total + weight * Number(routingNumber[index]), 0);
  return sum % 10 === 0;
}
