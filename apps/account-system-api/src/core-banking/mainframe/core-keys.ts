/**
 * The contract's ids are UUIDs; the core's keys are numbers (customer numbers and account keys
 * `9(10)`, posting numbers `9(15)`). An id carries its core key in its last fifteen digits, in
 * decimal so it can be read off, under a fixed prefix that says what kind of key it is:
 *
 *   customer 1000000001  →  c0b00001-0000-8000-8000-001000000001
 *   account  4000000001  →  c0b00002-0000-8000-8000-004000000001
 *   posting  42          →  c0b00003-0000-8000-8000-000000000042
 *
 * Valid RFC 9562 UUIDs (version 8, "custom"; variant 10), lowercase as the contract prints them.
 * The mapping needs no table, so reads cost no look-up; an id of another kind, or one the
 * Postgres backend issued, decodes to nothing and is simply not found.
 */
const KIND = { customer: 1, account: 2, posting: 3 } as const;
type KeyKind = keyof typeof KIND;

const ID = /^c0b0000([1-3])-0000-8000-8(\d{3})-(\d{12})$/;

function idOf(kind: KeyKind, key: number): string {
  const digits = String(key).padStart(15, '0');
  return `c0b0000${KIND[kind]}-0000-8000-8${digits.slice(0, 3)}-${digits.slice(3)}`;
}

function keyOf(kind: KeyKind, id: string): number | undefined {
  const match = ID.exec(id);
  if (!match || Number(match[1]) !== KIND[kind]) return undefined;
  const key = Number(`${match[2]}${match[3]}`);
  return key > 0 ? key : undefined;
}

export const customerIdOf = (customerNumber: number) => idOf('customer', customerNumber);
export const accountIdOf = (accountKey: number) => idOf('account', accountKey);
export const transactionIdOf = (postingNumber: number) => idOf('posting', postingNumber);

/** The customer number in a customer id, or undefined when it is not one the core issued. */
export const customerNumberOf = (customerId: string) => keyOf('customer', customerId);
/** The account key in an account id, or undefined when it is not one the core issued. */
export const accountKeyOf = (accountId: string) => keyOf('account', accountId);
/** The posting number in a transaction id, or undefined when it is not one the core issued. */
export const postingNumberOf = (transactionId: string) => keyOf('posting', transactionId);
