/**
 * SQL over the `onboardings` and `onboarding_steps` tables. Every function takes the connection
 * to run on, so callers decide the transaction: the routes and the workflow compose these with
 * `graphile_worker.add_job` and the email outbox in one transaction.
 */
import type { PoolClient, QueryResult, QueryResultRow } from 'pg';
import type {
  OnboardingStatus,
  OnboardingStepName,
  OnboardingStepState,
  ProductType,
  BankAccountType,
  UsAddress,
} from '@bartholomew/contracts-onboarding-process';

/**
 * What a query runs on: a client inside the caller's transaction, or the service's `Database`
 * (not its raw pool: the facade marks errors as the database's, so a database that is down is a
 * 503 DATABASE_UNAVAILABLE instead of a 500). A pg Pool or PoolClient fits too.
 */
export interface Queryable {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- same default as pg's own query()
  query<R extends QueryResultRow = any>(sql: string, params?: unknown[]): Promise<QueryResult<R>>;
}

/** One onboarding as stored. SSN and funding account number stay encrypted here. */
export interface OnboardingRecord {
  id: string;
  owner: string;
  startedBy: string;
  status: OnboardingStatus;
  currentStep: OnboardingStepName | null;
  version: number;
  legalName: string;
  dateOfBirth: string;
  email: string;
  phone: string;
  address: UsAddress;
  ssnEncrypted: string;
  ssnLast4: string;
  productType: ProductType;
  planCode: string;
  fundingRoutingNumber: string;
  fundingAccountType: BankAccountType;
  fundingAccountEncrypted: string;
  fundingAccountLast4: string;
  openingDeposit: { amountMinor: number; currency: 'USD' } | null;
  customerId: string | null;
  /**
   * A customer the account System API holds under this SSN whose identity did not match the
   * applicant's (or whom another sign-in owns): held for an operator, never owned until approved.
   */
  matchedCustomerId: string | null;
  accountId: string | null;
  accountNumberMasked: string | null;
  billingAccountId: string | null;
  paymentMethodId: string | null;
  depositTransactionId: string | null;
  kycReference: string | null;
  /** The two micro-deposit amounts sent, encrypted: the secret the applicant proves they saw. */
  achMicroDepositsEncrypted: string | null;
  achExpiresAt: Date | null;
  achAttemptsRemaining: number | null;
  reasonCode: string | null;
  reasonMessage: string | null;
  compensationPending: boolean;
  requestId: string;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

export interface StepRecord {
  step: OnboardingStepName;
  position: number;
  state: OnboardingStepState;
  attempts: number;
  startedAt: Date | null;
  finishedAt: Date | null;
  outcome: string | null;
  reason: string | null;
  lastError: string | null;
  nextAttemptAt: Date | null;
}

/** Columns the workflow and the routes may change after acceptance, by field name. */
const MUTABLE_COLUMNS = {
  status: 'status',
  currentStep: 'current_step',
  customerId: 'customer_id',
  matchedCustomerId: 'matched_customer_id',
  accountId: 'account_id',
  accountNumberMasked: 'account_number_masked',
  billingAccountId: 'billing_account_id',
  paymentMethodId: 'payment_method_id',
  depositTransactionId: 'deposit_transaction_id',
  kycReference: 'kyc_reference',
  achMicroDepositsEncrypted: 'ach_micro_deposits_encrypted',
  achExpiresAt: 'ach_expires_at',
  achAttemptsRemaining: 'ach_attempts_remaining',
  reasonCode: 'reason_code',
  reasonMessage: 'reason_message',
  compensationPending: 'compensation_pending',
  finishedAt: 'finished_at',
} as const satisfies Partial<Record<keyof OnboardingRecord, string>>;

export type OnboardingChanges = Partial<Pick<OnboardingRecord, keyof typeof MUTABLE_COLUMNS>>;

const STEP_COLUMNS = {
  state: 'state',
  attempts: 'attempts',
  startedAt: 'started_at',
  finishedAt: 'finished_at',
  outcome: 'outcome',
  reason: 'reason',
  lastError: 'last_error',
  nextAttemptAt: 'next_attempt_at',
} as const satisfies Partial<Record<keyof StepRecord, string>>;

export type StepChanges = Partial<Pick<StepRecord, keyof typeof STEP_COLUMNS>>;

export interface NewOnboarding {
  id: string;
  owner: string;
  startedBy: string;
  requestId: string;
  legalName: string;
  dateOfBirth: string;
  email: string;
  phone: string;
  address: UsAddress;
  ssnEncrypted: string;
  ssnLast4: string;
  productType: ProductType;
  planCode: string;
  fundingRoutingNumber: string;
  fundingAccountType: BankAccountType;
  fundingAccountEncrypted: string;
  fundingAccountLast4: string;
  openingDeposit: { amountMinor: number; currency: 'USD' } | null;
  firstStep: OnboardingStepName;
  /** Set when the onboarding opens another account for a customer the owner already has. */
  customerId?: string;
}

interface OnboardingRow {
  onboarding_id: string;
  owner_subject: string;
  started_by: string;
  status: OnboardingStatus;
  current_step: OnboardingStepName | null;
  version: number;
  legal_name: string;
  date_of_birth: string;
  email: string;
  phone: string;
  address: UsAddress;
  ssn_encrypted: string;
  ssn_last4: string;
  product_type: ProductType;
  plan_code: string;
  funding_routing_number: string;
  funding_account_type: BankAccountType;
  funding_account_encrypted: string;
  funding_account_last4: string;
  opening_deposit_minor: string | null;
  opening_deposit_currency: 'USD' | null;
  customer_id: string | null;
  matched_customer_id: string | null;
  account_id: string | null;
  account_number_masked: string | null;
  billing_account_id: string | null;
  payment_method_id: string | null;
  deposit_transaction_id: string | null;
  kyc_reference: string | null;
  ach_micro_deposits_encrypted: string | null;
  ach_expires_at: Date | null;
  ach_attempts_remaining: number | null;
  reason_code: string | null;
  reason_message: string | null;
  compensation_pending: boolean;
  request_id: string;
  created_at: Date;
  updated_at: Date;
  finished_at: Date | null;
}

// date_of_birth as text: a `date` read through pg becomes a local-midnight Date, which shifts days.
const SELECT_ONBOARDING = `SELECT *, date_of_birth::text AS date_of_birth FROM onboardings`;

function toRecord(row: OnboardingRow): OnboardingRecord {
  return {
    id: row.onboarding_id,
    owner: row.owner_subject,
    startedBy: row.started_by,
    status: row.status,
    currentStep: row.current_step,
    version: row.version,
    legalName: row.legal_name,
    dateOfBirth: row.date_of_birth,
    email: row.email,
    phone: row.phone,
    address: row.address,
    ssnEncrypted: row.ssn_encrypted,
    ssnLast4: row.ssn_last4,
    productType: row.product_type,
    planCode: row.plan_code,
    fundingRoutingNumber: row.funding_routing_number,
    fundingAccountType: row.funding_account_type,
    fundingAccountEncrypted: row.funding_account_encrypted,
    fundingAccountLast4: row.funding_account_last4,
    openingDeposit:
      row.opening_deposit_minor === null || row.opening_deposit_currency === null
        ? null
        : {
            amountMinor: Number(row.opening_deposit_minor),
            currency: row.opening_deposit_currency,
          },
    customerId: row.customer_id,
    matchedCustomerId: row.matched_customer_id,
    accountId: row.account_id,
    accountNumberMasked: row.account_number_masked,
    billingAccountId: row.billing_account_id,
    paymentMethodId: row.payment_method_id,
    depositTransactionId: row.deposit_transaction_id,
    kycReference: row.kyc_reference,
    achMicroDepositsEncrypted: row.ach_micro_deposits_encrypted,
    achExpiresAt: row.ach_expires_at,
    achAttemptsRemaining: row.ach_attempts_remaining,
    reasonCode: row.reason_code,
    reasonMessage: row.reason_message,
    compensationPending: row.compensation_pending,
    requestId: row.request_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    finishedAt: row.finished_at,
  };
}

export async function insertOnboarding(client: PoolClient, input: NewOnboarding): Promise<OnboardingRecord> {
  const { rows } = await client.query<OnboardingRow>(
    `INSERT INTO onboardings (
       onboarding_id, owner_subject, started_by, request_id, status, current_step,
       legal_name, date_of_birth, email, phone, address, ssn_encrypted, ssn_last4,
       product_type, plan_code, funding_routing_number, funding_account_type,
       funding_account_encrypted, funding_account_last4, opening_deposit_minor, opening_deposit_currency, customer_id)
     VALUES ($1, $2, $3, $4, 'pending', $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21)
     RETURNING *, date_of_birth::text AS date_of_birth`,
    [
      input.id,
      input.owner,
      input.startedBy,
      input.requestId,
      input.firstStep,
      input.legalName,
      input.dateOfBirth,
      input.email,
      input.phone,
      JSON.stringify(input.address),
      input.ssnEncrypted,
      input.ssnLast4,
      input.productType,
      input.planCode,
      input.fundingRoutingNumber,
      input.fundingAccountType,
      input.fundingAccountEncrypted,
      input.fundingAccountLast4,
      input.openingDeposit?.amountMinor ?? null,
      input.openingDeposit?.currency ?? null,
      input.customerId ?? null,
    ],
  );
  return toRecord(rows[0]);
}

export async function insertSteps(
  client: PoolClient,
  onboardingId: string,
  steps: ReadonlyArray<{
    step: OnboardingStepName;
    position: number;
    state: OnboardingStepState;
  }>,
): Promise<void> {
  await client.query(
    `INSERT INTO onboarding_steps (onboarding_id, step, position, state)
     SELECT $1, step, position, state FROM unnest($2::text[], $3::smallint[], $4::text[]) AS s(step, position, state)`,
    [onboardingId, steps.map((s) => s.step), steps.map((s) => s.position), steps.map((s) => s.state)],
  );
}

export async function findOnboarding(db: Queryable, id: string, options: { forUpdate?: boolean } = {}): Promise<OnboardingRecord | undefined> {
  const { rows } = await db.query<OnboardingRow>(`${SELECT_ONBOARDING} WHERE onboarding_id = $1${options.forUpdate ? ' FOR UPDATE' : ''}`, [id]);
  return rows[0] ? toRecord(rows[0]) : undefined;
}

interface StepRow {
  onboarding_id: string;
  step: OnboardingStepName;
  position: number;
  state: OnboardingStepState;
  attempts: number;
  started_at: Date | null;
  finished_at: Date | null;
  outcome: string | null;
  reason: string | null;
  last_error: string | null;
  next_attempt_at: Date | null;
}

function toStepRecord(row: StepRow): StepRecord {
  return {
    step: row.step,
    position: row.position,
    state: row.state,
    attempts: row.attempts,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    outcome: row.outcome,
    reason: row.reason,
    lastError: row.last_error,
    nextAttemptAt: row.next_attempt_at,
  };
}

export async function listSteps(db: Queryable, onboardingId: string): Promise<StepRecord[]> {
  const { rows } = await db.query<StepRow>('SELECT * FROM onboarding_steps WHERE onboarding_id = $1 ORDER BY position', [onboardingId]);
  return rows.map(toStepRecord);
}

/**
 * The steps of several onboardings in ONE query (a page of a listing), by onboarding id, each in
 * timeline order. An id without steps maps to an empty list.
 */
export async function listStepsOfOnboardings(db: Queryable, onboardingIds: readonly string[]): Promise<Map<string, StepRecord[]>> {
  const steps = new Map<string, StepRecord[]>(onboardingIds.map((id) => [id, []]));
  if (onboardingIds.length === 0) return steps;
  const { rows } = await db.query<StepRow>('SELECT * FROM onboarding_steps WHERE onboarding_id = ANY($1::uuid[]) ORDER BY onboarding_id, position', [
    onboardingIds,
  ]);
  for (const row of rows) steps.get(row.onboarding_id)?.push(toStepRecord(row));
  return steps;
}

/** Keyset page of one owner's onboardings, newest first. */
export async function listOnboardingsOfOwner(
  db: Queryable,
  query: {
    owner: string;
    status?: OnboardingStatus;
    limit: number;
    after?: { createdAt: Date; id: string };
  },
): Promise<OnboardingRecord[]> {
  const { rows } = await db.query<OnboardingRow>(
    `${SELECT_ONBOARDING}
     WHERE owner_subject = $1
       AND ($2::text IS NULL OR status = $2)
       AND ($3::timestamptz IS NULL OR (created_at, onboarding_id) < ($3, $4::uuid))
     ORDER BY created_at DESC, onboarding_id DESC
     LIMIT $5`,
    [query.owner, query.status ?? null, query.after?.createdAt ?? null, query.after?.id ?? null, query.limit],
  );
  return rows.map(toRecord);
}

/** Where a page of customers ends: the last customer's `since` and id (the keyset of `listCustomersOfOwner`). */
export interface CustomerPosition {
  since: Date;
  customerId: string;
}

/**
 * Keyset page of the distinct customers one owner's completed onboardings created, newest
 * customer first: a customer's `since` is the creation of its first such onboarding, which never
 * changes, so pages neither repeat nor skip a customer while the owner onboards again.
 */
export async function listCustomersOfOwner(
  db: Queryable,
  query: { owner: string; limit: number; after?: CustomerPosition },
): Promise<CustomerPosition[]> {
  const { rows } = await db.query<{ customer_id: string; since: Date }>(
    `SELECT customer_id, min(created_at) AS since
       FROM onboardings
      WHERE owner_subject = $1 AND status = 'completed' AND customer_id IS NOT NULL
      GROUP BY customer_id
     HAVING $2::timestamptz IS NULL OR (min(created_at), customer_id) < ($2, $3::uuid)
      ORDER BY since DESC, customer_id DESC
      LIMIT $4`,
    [query.owner, query.after?.since ?? null, query.after?.customerId ?? null, query.limit],
  );
  return rows.map((row) => ({ since: row.since, customerId: row.customer_id }));
}

/**
 * The owner's latest onboarding that is recorded against this customer — a completed one first —
 * or undefined when none is: the applicant details another account for that customer starts from.
 */
export async function latestOnboardingOfOwnerForCustomer(db: Queryable, owner: string, customerId: string): Promise<OnboardingRecord | undefined> {
  const { rows } = await db.query<OnboardingRow>(
    `${SELECT_ONBOARDING}
     WHERE owner_subject = $1 AND customer_id = $2
     ORDER BY (status = 'completed') DESC, created_at DESC, onboarding_id DESC
     LIMIT 1`,
    [owner, customerId],
  );
  return rows[0] ? toRecord(rows[0]) : undefined;
}

/** Owners of the onboardings that created this customer (normally one). */
export async function ownersOfCustomer(db: Queryable, customerId: string): Promise<string[]> {
  const { rows } = await db.query<{ owner_subject: string }>('SELECT DISTINCT owner_subject FROM onboardings WHERE customer_id = $1', [customerId]);
  return rows.map((row) => row.owner_subject);
}

/**
 * Applies `changes` if the onboarding is still at `expectedVersion`, bumping the version.
 * Answers false when someone else changed it first (the caller then re-reads and re-decides).
 */
export async function updateOnboarding(
  client: Queryable,
  id: string,
  expectedVersion: number,
  changes: OnboardingChanges,
): Promise<OnboardingRecord | undefined> {
  const sets: string[] = [];
  const values: unknown[] = [id, expectedVersion];
  for (const [field, column] of Object.entries(MUTABLE_COLUMNS)) {
    if (field in changes) {
      values.push((changes as Record<string, unknown>)[field]);
      sets.push(`${column} = $${values.length}`);
    }
  }
  const { rows } = await client.query<OnboardingRow>(
    `UPDATE onboardings SET ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')}
     WHERE onboarding_id = $1 AND version = $2
     RETURNING *, date_of_birth::text AS date_of_birth`,
    values,
  );
  return rows[0] ? toRecord(rows[0]) : undefined;
}

export async function updateStep(client: Queryable, onboardingId: string, step: OnboardingStepName, changes: StepChanges): Promise<void> {
  const sets: string[] = [];
  const values: unknown[] = [onboardingId, step];
  for (const [field, column] of Object.entries(STEP_COLUMNS)) {
    if (field in changes) {
      values.push((changes as Record<string, unknown>)[field]);
      sets.push(`${column} = $${values.length}`);
    }
  }
  if (sets.length === 0) return;
  await client.query(`UPDATE onboarding_steps SET ${sets.join(', ')} WHERE onboarding_id = $1 AND step = $2`, values);
}

/** Steps that will never run now (the onboarding ended): shown as skipped, not as pending forever. */
export async function skipPendingSteps(client: Queryable, onboardingId: string): Promise<void> {
  await client.query(`UPDATE onboarding_steps SET state = 'skipped' WHERE onboarding_id = $1 AND state = 'pending'`, [onboardingId]);
}

/** Ids of onboardings that have not reached a final status (for start-up resumption). */
export async function unfinishedOnboardingIds(db: Queryable): Promise<string[]> {
  const { rows } = await db.query<{ onboarding_id: string }>(
    `SELECT onboarding_id FROM onboardings WHERE finished_at IS NULL AND status NOT IN ('completed', 'rejected', 'failed')`,
  );
  return rows.map((row) => row.onboarding_id);
}
