/**
 * The age at which a person may open an account in their own name: the age of majority of the
 * state they live in. 18 everywhere except
 * - Alabama: 19 (Code of Alabama § 26-1-1),
 * - Nebraska: 19 (Nebraska Revised Statutes § 43-2101),
 * - Mississippi: 21 (Mississippi Code § 1-3-27, "minor" is under twenty-one).
 * (Summarised by the Legal Information Institute, https://www.law.cornell.edu/wex/table_emancipation.)
 */
const AGE_OF_MAJORITY_EXCEPTIONS: Readonly<Record<string, number>> = { AL: 19, NE: 19, MS: 21 };
const DEFAULT_AGE_OF_MAJORITY = 18;

/** The age of majority of a USPS state code (`NY`, `AL`, ...). */
export function ageOfMajority(state: string): number {
  return AGE_OF_MAJORITY_EXCEPTIONS[state.toUpperCase()] ?? DEFAULT_AGE_OF_MAJORITY;
}
