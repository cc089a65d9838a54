import type { Migration } from '@bartholomew/platform/db';

/**
 * Returning applicants. When the account System API already holds a customer under the
 * applicant's SSN but the name or date of birth differ (or another sign-in owns that customer),
 * the candidate is kept in `matched_customer_id` while an operator decides. Not in `customer_id`:
 * ownership of a customer's data follows `customer_id`, and nothing may be shared before the decision.
 */
export const customerMatchReview: Migration = {
  version: 3,
  name: 'customer-match-review',
  sql: `
ALTER TABLE onboardings ADD COLUMN matched_customer_id uuid;
`,
};
