import type { Migration } from '@bartholomew/platform/db';
import { IDEMPOTENCY_KEYS_TABLE_SQL } from '@bartholomew/platform/server';

/**
 * The billing database: the fee catalogue, billing accounts and their ACH payment methods.
 * Invariants live in the schema too (CHECKs, uniqueness), so no code path can write a state the
 * API would refuse. Bank account numbers are stored only encrypted, beside their last four digits
 * and a keyed fingerprint that detects the same bank account twice without decrypting.
 */
export const billingSchema: Migration = {
  version: 1,
  name: 'billing schema',
  sql: `
${IDEMPOTENCY_KEYS_TABLE_SQL}

CREATE TABLE fee_plans (
  plan_code         text        PRIMARY KEY CHECK (plan_code ~ '^[a-z0-9]+(-[a-z0-9]+)*$' AND length(plan_code) <= 64),
  name              text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  description       text        NOT NULL,
  monthly_fee_minor integer     NOT NULL CHECK (monthly_fee_minor >= 0),
  currency          char(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  created_at        timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE billing_accounts (
  id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  customer_id uuid        NOT NULL,
  account_id  uuid        NOT NULL,
  plan_code   text        NOT NULL REFERENCES fee_plans (plan_code),
  status      text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  opened_at   timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now(),
  closed_at   timestamptz,
  CONSTRAINT billing_accounts_closed_at_iff_closed CHECK ((status = 'closed') = (closed_at IS NOT NULL))
);
CREATE INDEX billing_accounts_by_customer ON billing_accounts (customer_id, opened_at, id);
-- A deposit account is billed by one open billing account at a time.
CREATE UNIQUE INDEX billing_accounts_one_open_per_deposit_account ON billing_accounts (account_id) WHERE status = 'open';

CREATE TABLE payment_methods (
  id                       uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  billing_account_id       uuid        NOT NULL REFERENCES billing_accounts (id),
  routing_number           char(9)     NOT NULL CHECK (routing_number ~ '^[0-9]{9}$'),
  account_number_encrypted text        NOT NULL CHECK (account_number_encrypted LIKE 'v1.%'),
  account_number_last_four char(4)     NOT NULL CHECK (account_number_last_four ~ '^[0-9]{4}$'),
  bank_account_fingerprint text        NOT NULL,
  account_type             text        NOT NULL CHECK (account_type IN ('checking', 'savings')),
  holder_name              text        NOT NULL CHECK (length(holder_name) BETWEEN 1 AND 140),
  status                   text        NOT NULL DEFAULT 'unverified' CHECK (status IN ('unverified', 'verified', 'failed')),
  verification_reason      text        CHECK (length(verification_reason) BETWEEN 1 AND 200),
  verification_recorded_at timestamptz,
  created_at               timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT payment_methods_recorded_at_iff_decided CHECK ((status = 'unverified') = (verification_recorded_at IS NULL)),
  CONSTRAINT payment_methods_reason_only_when_decided CHECK (status <> 'unverified' OR verification_reason IS NULL),
  CONSTRAINT payment_methods_one_bank_account_per_billing_account UNIQUE (billing_account_id, bank_account_fingerprint)
);
CREATE INDEX payment_methods_by_billing_account ON payment_methods (billing_account_id, created_at, id);

INSERT INTO fee_plans (plan_code, name, description, monthly_fee_minor, currency) VALUES
  ('basic-checking',   'Basic Checking',   'Everyday checking with no monthly fee.',                            0, 'USD'),
  ('premium-checking', 'Premium Checking', 'Checking with ATM fee refunds and priority support.',            1500, 'USD'),
  ('everyday-savings', 'Everyday Savings', 'Savings with a monthly maintenance fee.',                            500, 'USD');
`,
};
