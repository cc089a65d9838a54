import type { Migration } from '@bartholomew/platform/db';
import { IDEMPOTENCY_KEYS_TABLE_SQL } from '@bartholomew/platform/server';

/**
 * Customers, deposit accounts, their status history and their transactions.
 * Money is bigint minor units with a char(3) currency; balances are capped at 2^53 - 1 so they
 * stay exact as JavaScript numbers. SSNs and account numbers are stored encrypted (PiiVault),
 * with a keyed fingerprint for uniqueness and the last four digits for display.
 */
export const coreBankingLedger: Migration = {
  version: 1,
  name: 'core banking ledger',
  sql: `
${IDEMPOTENCY_KEYS_TABLE_SQL}

CREATE TABLE customers (
  id                 uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  legal_name         text        NOT NULL CHECK (length(legal_name) BETWEEN 1 AND 200),
  date_of_birth      date        NOT NULL,
  tax_id_encrypted   text        NOT NULL,
  tax_id_fingerprint text        NOT NULL CONSTRAINT customers_tax_id_fingerprint_key UNIQUE,
  tax_id_last4       char(4)     NOT NULL CHECK (tax_id_last4 ~ '^[0-9]{4}$'),
  email              text        NOT NULL CHECK (length(email) BETWEEN 3 AND 254),
  phone              text        NOT NULL CHECK (phone ~ '^\\+[1-9][0-9]{7,14}$'),
  address_line1      text        NOT NULL CHECK (length(address_line1) BETWEEN 1 AND 100),
  address_line2      text                 CHECK (length(address_line2) BETWEEN 1 AND 100),
  city               text        NOT NULL CHECK (length(city) BETWEEN 1 AND 60),
  state              char(2)     NOT NULL CHECK (state ~ '^[A-Z]{2}$'),
  postal_code        text        NOT NULL CHECK (postal_code ~ '^[0-9]{5}(-[0-9]{4})?$'),
  created_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE accounts (
  id                         uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  customer_id                uuid        NOT NULL REFERENCES customers (id),
  account_number_encrypted   text        NOT NULL,
  account_number_fingerprint text        NOT NULL CONSTRAINT accounts_account_number_fingerprint_key UNIQUE,
  account_number_last4       char(4)     NOT NULL CHECK (account_number_last4 ~ '^[0-9]{4}$'),
  product_type               text        NOT NULL CHECK (product_type IN ('checking', 'savings')),
  currency                   char(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  status                     text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'frozen', 'closed')),
  ledger_balance_minor       bigint      NOT NULL DEFAULT 0
                                         CHECK (ledger_balance_minor BETWEEN 0 AND 9007199254740991),
  opened_at                  timestamptz NOT NULL DEFAULT now(),
  status_changed_at          timestamptz NOT NULL DEFAULT now(),
  closed_at                  timestamptz,
  CONSTRAINT accounts_closed_at_matches_status CHECK ((status = 'closed') = (closed_at IS NOT NULL)),
  CONSTRAINT accounts_closed_with_zero_balance CHECK (status <> 'closed' OR ledger_balance_minor = 0)
);
CREATE INDEX accounts_customer_idx ON accounts (customer_id, opened_at, id);

CREATE TABLE account_status_changes (
  id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_id  uuid        NOT NULL REFERENCES accounts (id),
  from_status text        NOT NULL CHECK (from_status IN ('active', 'frozen', 'closed')),
  to_status   text        NOT NULL CHECK (to_status IN ('active', 'frozen', 'closed')),
  reason      text        NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  changed_by  text        NOT NULL,
  changed_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (from_status <> to_status)
);
CREATE INDEX account_status_changes_account_idx ON account_status_changes (account_id, id);

-- sequence orders postings: they are written under the account's row lock, so within one account
-- a higher sequence is a later posting. It is the keyset of transaction pages.
CREATE TABLE account_transactions (
  id                  uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  sequence            bigint      GENERATED ALWAYS AS IDENTITY UNIQUE,
  account_id          uuid        NOT NULL REFERENCES accounts (id),
  direction           text        NOT NULL CHECK (direction IN ('credit', 'debit')),
  amount_minor        bigint      NOT NULL CHECK (amount_minor > 0),
  currency            char(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  description         text        NOT NULL CHECK (length(description) BETWEEN 1 AND 140),
  reference           text                 CHECK (length(reference) BETWEEN 1 AND 64),
  balance_after_minor bigint      NOT NULL CHECK (balance_after_minor BETWEEN 0 AND 9007199254740991),
  posted_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX account_transactions_account_idx ON account_transactions (account_id, sequence DESC);
`,
};
