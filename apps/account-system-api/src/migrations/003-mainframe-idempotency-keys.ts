import type { Migration } from '@bartholomew/platform/db';

/**
 * The mainframe adapter's idempotency keys: the core keeps none (a TXNPOST sent twice posts
 * twice), so this service remembers each keyed write it sent. `in_progress` is written (and
 * committed) before the request leaves; `done` keeps the answer to replay; `in_doubt` marks a
 * write whose answer was lost — it may have happened, so it is never sent again on its own. A
 * refused write deletes its row. An `in_progress` row nobody is working on (this service stopped
 * mid-call) is in doubt too. Unused by the Postgres backend, which keeps `idempotency_keys`.
 */
export const mainframeIdempotencyKeys: Migration = {
  version: 3,
  name: 'mainframe idempotency keys',
  sql: `
CREATE TABLE mainframe_idempotency_keys (
  scope        text        NOT NULL,
  key          text        NOT NULL,
  request_hash text        NOT NULL,
  state        text        NOT NULL DEFAULT 'in_progress' CHECK (state IN ('in_progress', 'in_doubt', 'done')),
  result       jsonb,
  created_at   timestamptz NOT NULL DEFAULT now(),
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (scope, key),
  CONSTRAINT mainframe_idempotency_keys_result_when_done CHECK ((state = 'done') = (result IS NOT NULL))
);
CREATE INDEX mainframe_idempotency_keys_unsettled_idx ON mainframe_idempotency_keys (updated_at) WHERE state <> 'done';
`,
};
