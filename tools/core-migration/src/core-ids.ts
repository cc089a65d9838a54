/**
 * The ids the account System API's mainframe adapter shows for the core's numeric keys: the last
 * fifteen digits of the UUID are the key, under a prefix that names its kind —
 * customer 1000000001 → `c0b00001-0000-8000-8000-001000000001`, account `c0b00002-…`, posting
 * `c0b00003-…`. The migration writes the ledger under exactly these ids, so every id the Process
 * API stored while the mainframe was the core still names the same thing afterwards.
 *
 * REVIEW: a copy of `apps/account-system-api/src/core-banking/mainframe/core-keys.ts`, which that
 * package does not export. Once it exports it (`"./core-keys"`), import it from there instead. A
 * drift cannot pass unseen meanwhile: the proof test reads every id through both backends.
 */
const KIND = { customer: 1, account: 2, posting: 3 } as const;

function idOf(kind: keyof typeof KIND, key: string): string {
  if (!/^[1-9][0-9]{0,14}$/.test(key)) throw new RangeError(`a ${kind} key is 1 to 15 digits`);
  const digits = key.padStart(15, '0');
  return `c0b0000${KIND[kind]}-0000-8000-8${digits.slice(0, 3)}-${digits.slice(3)}`;
}

/** Keys are taken as the digits PostgreSQL printed for the bigint, so no number is ever rounded. */
export const customerIdOf = (customerNumber: string) => idOf('customer', customerNumber);
export const accountIdOf = (accountKey: string) => idOf('account', accountKey);
export const transactionIdOf = (postingNumber: string) => idOf('posting', postingNumber);
