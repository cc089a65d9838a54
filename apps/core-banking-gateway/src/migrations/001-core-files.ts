import type { Migration } from '@bartholomew/platform/db';

/**
 * The core's own files: customers, deposit accounts with their status history, balances and
 * postings, keyed by the core's own numbers (customer number and account key 9(10), posting
 * number 9(15)) — not the account System API's UUIDs. Tax ids and account numbers are stored
 * encrypted with a keyed fingerprint for uniqueness and look-up. Money is bigint minor units,
 * capped at 2^53 - 1 like the PostgreSQL core, so a migration between the two never overflows.
 */
export const coreFiles: Migration = {
  version: 1,
  name: 'core files',
  sql: `
CREATE TABLE customers (
  cust_id            bigint      GENERATED ALWAYS AS IDENTITY (START WITH 1000000001) PRIMARY KEY
                                 CHECK (cust_id <= 9999999999),
  legal_name         text        NOT NULL CHECK (length(legal_name) BETWEEN 1 AND 200),
  birth_date         date        NOT NULL,
  tax_id_encrypted   text        NOT NULL,
  tax_id_fingerprint text        NOT NULL CONSTRAINT customers_tax_id_fingerprint_key UNIQUE,
  email              text        NOT NULL CHECK (length(email) BETWEEN 1 AND 254),
  phone              text        NOT NULL CHECK (length(phone) BETWEEN 1 AND 16),
  addr_line_1        text        NOT NULL CHECK (length(addr_line_1) BETWEEN 1 AND 100),
  addr_line_2        text        NOT NULL DEFAULT '' CHECK (length(addr_line_2) <= 100),
  city               text        NOT NULL CHECK (length(city) BETWEEN 1 AND 60),
  state              char(2)     NOT NULL,
  postal_code        text        NOT NULL CHECK (length(postal_code) BETWEEN 1 AND 10),
  created_at         timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE accounts (
  acct_id                 bigint      GENERATED ALWAYS AS IDENTITY (START WITH 4000000001) PRIMARY KEY
                                      CHECK (acct_id <= 9999999999),
  cust_id                 bigint      NOT NULL REFERENCES customers (cust_id),
  acct_number_encrypted   text        NOT NULL,
  acct_number_fingerprint text        NOT NULL CONSTRAINT accounts_acct_number_fingerprint_key UNIQUE,
  product                 char(3)     NOT NULL CHECK (product IN ('CHK', 'SAV')),
  currency                char(3)     NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  status                  char(1)     NOT NULL DEFAULT 'A' CHECK (status IN ('A', 'F', 'C')),
  opened_at               timestamptz NOT NULL DEFAULT now(),
  status_changed_at       timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX accounts_cust_idx ON accounts (cust_id, acct_id);

CREATE TABLE account_status_history (
  id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  acct_id     bigint      NOT NULL REFERENCES accounts (acct_id),
  from_status char(1)     NOT NULL CHECK (from_status IN ('A', 'F', 'C')),
  to_status   char(1)     NOT NULL CHECK (to_status IN ('A', 'F', 'C')),
  reason      text        NOT NULL CHECK (length(reason) BETWEEN 1 AND 500),
  changed_by  text        NOT NULL CHECK (length(changed_by) BETWEEN 1 AND 64),
  changed_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (from_status <> to_status)
);
CREATE INDEX account_status_history_acct_idx ON account_status_history (acct_id, id);

-- One row per account; postings lock it, so within an account a higher posting number is a later posting.
CREATE TABLE balances (
  acct_id      bigint      PRIMARY KEY REFERENCES accounts (acct_id),
  currency     char(3)     NOT NULL,
  ledger_minor bigint      NOT NULL DEFAULT 0 CHECK (ledger_minor BETWEEN 0 AND 9007199254740991),
  updated_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE postings (
  txn_id              bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY CHECK (txn_id <= 999999999999999),
  acct_id             bigint      NOT NULL REFERENCES accounts (acct_id),
  direction           char(1)     NOT NULL CHECK (direction IN ('C', 'D')),
  amount_minor        bigint      NOT NULL CHECK (amount_minor > 0),
  currency            char(3)     NOT NULL,
  description         text        NOT NULL CHECK (length(description) BETWEEN 1 AND 140),
  reference           text        NOT NULL DEFAULT '' CHECK (length(reference) <= 64),
  balance_after_minor bigint      NOT NULL CHECK (balance_after_minor BETWEEN 0 AND 9007199254740991),
  posted_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX postings_acct_idx ON postings (acct_id, txn_id DESC);
`,
};
