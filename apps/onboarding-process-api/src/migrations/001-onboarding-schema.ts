import type { Migration } from '@bartholomew/platform/db';
import { IDEMPOTENCY_KEYS_TABLE_SQL } from '@bartholomew/platform/server';

/**
 * The onboarding process's own state. graphile-worker's tables live in the `graphile_worker`
 * schema of the same database and are migrated by graphile-worker itself at start.
 *
 * - `onboardings`: one application and where it stands. SSN and funding account number are
 *   stored encrypted (app.pii, AES-256-GCM) with their last four digits beside them for display;
 *   what the workflow created downstream (customer, account, billing account, ...) is recorded
 *   as each step commits. `version` guards every state change (optimistic concurrency).
 * - `onboarding_steps`: the timeline, one row per step that has begun.
 * - `email_outbox`: messages written in the same transaction as the step that decided to send
 *   them; the relay marks them sent.
 * - `worker_heartbeats`: heartbeats of graphile-worker pools, read by the first crash detection;
 *   unused since migration 2 (worker pools are now known alive by their PostgreSQL session).
 */
export const onboardingSchema: Migration = {
  version: 1,
  name: 'onboarding-schema',
  sql: `
CREATE TABLE onboardings (
  onboarding_id            uuid        PRIMARY KEY,
  owner_subject            text        NOT NULL,
  started_by               text        NOT NULL,
  status                   text        NOT NULL,
  current_step             text,
  version                  integer     NOT NULL DEFAULT 0,
  legal_name               text        NOT NULL,
  date_of_birth            date        NOT NULL,
  email                    text        NOT NULL,
  phone                    text        NOT NULL,
  address                  jsonb       NOT NULL,
  ssn_encrypted            text        NOT NULL,
  ssn_last4                char(4)     NOT NULL,
  product_type             text        NOT NULL,
  plan_code                text        NOT NULL,
  funding_routing_number   char(9)     NOT NULL,
  funding_account_type     text        NOT NULL,
  funding_account_encrypted text       NOT NULL,
  funding_account_last4    char(4)     NOT NULL,
  opening_deposit_minor    bigint,
  opening_deposit_currency char(3),
  customer_id              uuid,
  account_id               uuid,
  account_number_masked    text,
  billing_account_id       uuid,
  payment_method_id        uuid,
  deposit_transaction_id   uuid,
  kyc_reference            text,
  ach_micro_deposits_encrypted text,
  ach_expires_at           timestamptz,
  ach_attempts_remaining   integer,
  reason_code              text,
  reason_message           text,
  compensation_pending     boolean     NOT NULL DEFAULT false,
  request_id               text        NOT NULL,
  -- Millisecond precision: list cursors carry it as an ISO timestamp (JavaScript Date).
  created_at               timestamptz NOT NULL DEFAULT date_trunc('milliseconds', now()),
  updated_at               timestamptz NOT NULL DEFAULT now(),
  finished_at              timestamptz,
  CONSTRAINT onboardings_status_check CHECK (status IN
    ('pending', 'in_progress', 'awaiting_customer', 'in_review', 'completed', 'rejected', 'failed')),
  CONSTRAINT onboardings_deposit_check CHECK ((opening_deposit_minor IS NULL) = (opening_deposit_currency IS NULL))
);
CREATE INDEX onboardings_owner_idx ON onboardings (owner_subject, created_at DESC, onboarding_id DESC);
CREATE INDEX onboardings_customer_idx ON onboardings (customer_id) WHERE customer_id IS NOT NULL;
CREATE INDEX onboardings_unfinished_idx ON onboardings (status) WHERE finished_at IS NULL;

CREATE TABLE onboarding_steps (
  onboarding_id uuid        NOT NULL REFERENCES onboardings (onboarding_id),
  step          text        NOT NULL,
  position      smallint    NOT NULL,
  state         text        NOT NULL,
  attempts      integer     NOT NULL DEFAULT 0,
  started_at    timestamptz,
  finished_at   timestamptz,
  outcome       text,
  reason        text,
  last_error    text,
  next_attempt_at timestamptz,
  PRIMARY KEY (onboarding_id, step),
  CONSTRAINT onboarding_steps_state_check CHECK (state IN ('pending', 'running', 'succeeded', 'failed', 'skipped', 'waiting'))
);

CREATE TABLE email_outbox (
  email_id      uuid        PRIMARY KEY,
  onboarding_id uuid        NOT NULL REFERENCES onboardings (onboarding_id),
  kind          text        NOT NULL,
  message_id    text        NOT NULL UNIQUE,
  recipient     text        NOT NULL,
  subject       text        NOT NULL,
  body_text     text        NOT NULL,
  attempts      integer     NOT NULL DEFAULT 0,
  last_error    text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  sent_at       timestamptz,
  delivered_via text,
  UNIQUE (onboarding_id, kind)
);
CREATE INDEX email_outbox_unsent_idx ON email_outbox (created_at) WHERE sent_at IS NULL;

CREATE TABLE worker_heartbeats (
  worker_id    text        PRIMARY KEY,
  instance_id  text        NOT NULL,
  last_seen_at timestamptz NOT NULL DEFAULT now()
);
${IDEMPOTENCY_KEYS_TABLE_SQL}
`,
};
