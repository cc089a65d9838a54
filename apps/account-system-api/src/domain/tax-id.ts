/**
 * SSNs arrive dashed (`123-45-6789`) or bare (`123456789`); both are the same person, so the
 * fingerprint that enforces "one customer per SSN" is taken over the nine digits only.
 */
export function taxIdDigits(taxId: string): string {
  const digits = taxId.replace(/-/g, '');
  if (!/^[0-9]{9}$/.test(digits)) throw new TypeError('a tax id has nine digits');
  return digits;
}

/** What answers show of an SSN. */
export function taxIdLast4(taxId: string): string {
  return taxIdDigits(taxId).slice(-4);
}
