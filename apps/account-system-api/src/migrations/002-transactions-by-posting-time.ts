import type { Migration } from '@bartholomew/platform/db';

/**
 * Date-filtered transaction pages (`?from=&to=`): an index on the posting time per account, so a
 * filter on an old range finds its rows without walking the account's newer history first. The
 * sequence column rides along so the planner can check the page cursor inside the index.
 *
 * REVIEW: a plain CREATE INDEX locks writes to the table while it builds; fine at today's size.
 * On a large production ledger this would be CREATE INDEX CONCURRENTLY, outside a transaction.
 */
export const transactionsByPostingTime: Migration = {
  version: 2,
  name: 'transactions by posting time',
  sql: `CREATE INDEX account_transactions_account_posted_idx ON account_transactions (account_id, posted_at, sequence);`,
};
