import { nameSimilarity } from '../kyc/name-matching';

/**
 * Whether an applicant is the bank's existing customer holding the same SSN. The SSN already
 * matched (the account System API found the customer by it); the name and the date of birth
 * must agree too before the customer is reused — anything else is for a person to decide, never
 * merged silently.
 */

/**
 * Lowest name similarity (0–1, see `nameSimilarity`) taken as the same name: spelling slips
 * ("Lovelace" / "Lovelase"), accents, order ("Lovelace, Ada") and an added or dropped middle name
 * pass; another first name ("John" / "Jane Smith") does not.
 */
export const SAME_NAME_SIMILARITY = 0.93;

export interface PersonIdentity {
  legalName: string;
  /** YYYY-MM-DD */
  dateOfBirth: string;
}

export type IdentityComparison = { matches: true } | { matches: false; differs: 'date_of_birth' | 'name' };

export function compareIdentity(applicant: PersonIdentity, customer: PersonIdentity): IdentityComparison {
  if (applicant.dateOfBirth !== customer.dateOfBirth) return { matches: false, differs: 'date_of_birth' };
  // Both ways: the comparison reduces only its first name to the other's tokens, and a middle name
  // may have been added or dropped on either side.
  const similarity = Math.max(nameSimilarity(applicant.legalName, customer.legalName), nameSimilarity(customer.legalName, applicant.legalName));
  return similarity >= SAME_NAME_SIMILARITY ? { matches: true } : { matches: false, differs: 'name' };
}
