import type { QueryResult, QueryResultRow } from 'pg';
import type {
  BankAccountType,
  BillingAccount,
  BillingAccountStatus,
  FeePlan,
  PaymentMethod,
  PaymentMethodStatus,
  VerificationOutcome,
} from '@bartholomew/contracts-billing-system';
import { maskLastFour } from '@bartholomew/platform/server';

/** The pool or a transaction's client: repository calls run on either. */
export interface Queryable {
  query<R extends QueryResultRow>(sql: string, params?: unknown[]): Promise<QueryResult<R>>;
}

/** Unique indexes whose violation means a business conflict, not a bug. */
export const UniqueConstraint = {
  oneOpenBillingAccountPerDepositAccount: 'billing_accounts_one_open_per_deposit_account',
  oneBankAccountPerBillingAccount: 'payment_methods_one_bank_account_per_billing_account',
} as const;
export type UniqueConstraint = (typeof UniqueConstraint)[keyof typeof UniqueConstraint];

/** Whether `error` is Postgres refusing a row because of this very unique index (SQLSTATE 23505). */
export function violatesUnique(error: unknown, constraint: UniqueConstraint): boolean {
  const pgError = error as { code?: unknown; constraint?: unknown } | null;
  return pgError?.code === '23505' && pgError.constraint === constraint;
}

interface FeePlanRow {
  plan_code: string;
  name: string;
  description: string;
  monthly_fee_minor: number;
  currency: string;
}

interface BillingAccountRow {
  id: string;
  customer_id: string;
  account_id: string;
  plan_code: string;
  status: BillingAccountStatus;
  opened_at: Date;
  updated_at: Date;
  closed_at: Date | null;
}

interface PaymentMethodRow {
  id: string;
  billing_account_id: string;
  routing_number: string;
  account_number_last_four: string;
  account_type: BankAccountType;
  holder_name: string;
  status: PaymentMethodStatus;
  verification_reason: string | null;
  verification_recorded_at: Date | null;
  created_at: Date;
}

/** A bank account as stored: the number only encrypted, with what is safe to show or compare. */
export interface StoredBankAccount {
  routingNumber: string;
  accountNumberEncrypted: string;
  accountNumberLastFour: string;
  bankAccountFingerprint: string;
  accountType: BankAccountType;
  holderName: string;
}

const FEE_PLAN_COLUMNS = 'plan_code, name, description, monthly_fee_minor, currency';
const BILLING_ACCOUNT_COLUMNS = 'id, customer_id, account_id, plan_code, status, opened_at, updated_at, closed_at';
// The encrypted number is deliberately not selected: nothing this API answers needs it.
const PAYMENT_METHOD_COLUMNS =
  'id, billing_account_id, routing_number, account_number_last_four, account_type, holder_name, status, verification_reason, verification_recorded_at, created_at';

const toFeePlan = (row: FeePlanRow): FeePlan => ({
  planCode: row.plan_code,
  name: row.name,
  description: row.description,
  monthlyFee: { amountMinor: row.monthly_fee_minor, currency: row.currency },
});

const toBillingAccount = (row: BillingAccountRow): BillingAccount => ({
  billingAccountId: row.id,
  customerId: row.customer_id,
  accountId: row.account_id,
  planCode: row.plan_code,
  status: row.status,
  openedAt: row.opened_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
  ...(row.closed_at ? { closedAt: row.closed_at.toISOString() } : {}),
});

const toPaymentMethod = (row: PaymentMethodRow): PaymentMethod => ({
  paymentMethodId: row.id,
  billingAccountId: row.billing_account_id,
  routingNumber: row.routing_number,
  accountNumberMasked: maskLastFour(row.account_number_last_four),
  accountType: row.account_type,
  holderName: row.holder_name,
  status: row.status,
  ...(row.verification_reason ? { verificationReason: row.verification_reason } : {}),
  ...(row.verification_recorded_at ? { verificationRecordedAt: row.verification_recorded_at.toISOString() } : {}),
  createdAt: row.created_at.toISOString(),
});

/**
 * SQL of the billing database, one function per question or change, answering contract types.
 * Every function takes the connection to run on, so a change can join an idempotent transaction.
 */
export const billingRepository = {
  async listFeePlans(db: Queryable): Promise<FeePlan[]> {
    const result = await db.query<FeePlanRow>(`SELECT ${FEE_PLAN_COLUMNS} FROM fee_plans ORDER BY monthly_fee_minor, plan_code`);
    return result.rows.map(toFeePlan);
  },

  async findFeePlan(db: Queryable, planCode: string): Promise<FeePlan | undefined> {
    const result = await db.query<FeePlanRow>(`SELECT ${FEE_PLAN_COLUMNS} FROM fee_plans WHERE plan_code = $1`, [planCode]);
    return result.rows[0] && toFeePlan(result.rows[0]);
  },

  async insertBillingAccount(db: Queryable, account: { customerId: string; accountId: string; planCode: string }): Promise<BillingAccount> {
    const result = await db.query<BillingAccountRow>(
      `INSERT INTO billing_accounts (customer_id, account_id, plan_code) VALUES ($1, $2, $3) RETURNING ${BILLING_ACCOUNT_COLUMNS}`,
      [account.customerId, account.accountId, account.planCode],
    );
    return toBillingAccount(result.rows[0]);
  },

  /** `lock: 'share'` holds off a concurrent close until the caller's transaction ends. */
  async findBillingAccount(db: Queryable, billingAccountId: string, lock?: 'share'): Promise<BillingAccount | undefined> {
    const result = await db.query<BillingAccountRow>(
      `SELECT ${BILLING_ACCOUNT_COLUMNS} FROM billing_accounts WHERE id = $1${lock === 'share' ? ' FOR SHARE' : ''}`,
      [billingAccountId],
    );
    return result.rows[0] && toBillingAccount(result.rows[0]);
  },

  async listBillingAccountsOfCustomer(db: Queryable, customerId: string): Promise<BillingAccount[]> {
    const result = await db.query<BillingAccountRow>(
      `SELECT ${BILLING_ACCOUNT_COLUMNS} FROM billing_accounts WHERE customer_id = $1 ORDER BY opened_at, id`,
      [customerId],
    );
    return result.rows.map(toBillingAccount);
  },

  /** Changes the plan of an open billing account; undefined when there is no open one with that id. */
  async changeFeePlanOfOpenAccount(db: Queryable, billingAccountId: string, planCode: string): Promise<BillingAccount | undefined> {
    const result = await db.query<BillingAccountRow>(
      `UPDATE billing_accounts SET plan_code = $2, updated_at = now()
       WHERE id = $1 AND status = 'open' RETURNING ${BILLING_ACCOUNT_COLUMNS}`,
      [billingAccountId, planCode],
    );
    return result.rows[0] && toBillingAccount(result.rows[0]);
  },

  /** Closes an open billing account; undefined when there is no open one with that id. */
  async closeOpenAccount(db: Queryable, billingAccountId: string): Promise<BillingAccount | undefined> {
    const result = await db.query<BillingAccountRow>(
      `UPDATE billing_accounts SET status = 'closed', closed_at = now(), updated_at = now()
       WHERE id = $1 AND status = 'open' RETURNING ${BILLING_ACCOUNT_COLUMNS}`,
      [billingAccountId],
    );
    return result.rows[0] && toBillingAccount(result.rows[0]);
  },

  async insertPaymentMethod(db: Queryable, billingAccountId: string, bankAccount: StoredBankAccount): Promise<PaymentMethod> {
    const result = await db.query<PaymentMethodRow>(
      `INSERT INTO payment_methods (billing_account_id, routing_number, account_number_encrypted, account_number_last_four,
                                    bank_account_fingerprint, account_type, holder_name)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${PAYMENT_METHOD_COLUMNS}`,
      [
        billingAccountId,
        bankAccount.routingNumber,
        bankAccount.accountNumberEncrypted,
        bankAccount.accountNumberLastFour,
        bankAccount.bankAccountFingerprint,
        bankAccount.accountType,
        bankAccount.holderName,
      ],
    );
    return toPaymentMethod(result.rows[0]);
  },

  async listPaymentMethods(db: Queryable, billingAccountId: string): Promise<PaymentMethod[]> {
    const result = await db.query<PaymentMethodRow>(
      `SELECT ${PAYMENT_METHOD_COLUMNS} FROM payment_methods WHERE billing_account_id = $1 ORDER BY created_at, id`,
      [billingAccountId],
    );
    return result.rows.map(toPaymentMethod);
  },

  /** The payment methods of several billing accounts at once, each account's oldest first. */
  async listPaymentMethodsOfBillingAccounts(db: Queryable, billingAccountIds: string[]): Promise<PaymentMethod[]> {
    const result = await db.query<PaymentMethodRow>(
      `SELECT ${PAYMENT_METHOD_COLUMNS} FROM payment_methods WHERE billing_account_id = ANY($1::uuid[]) ORDER BY billing_account_id, created_at, id`,
      [billingAccountIds],
    );
    return result.rows.map(toPaymentMethod);
  },

  async findPaymentMethod(db: Queryable, billingAccountId: string, paymentMethodId: string): Promise<PaymentMethod | undefined> {
    const result = await db.query<PaymentMethodRow>(
      `SELECT ${PAYMENT_METHOD_COLUMNS} FROM payment_methods WHERE id = $1 AND billing_account_id = $2`,
      [paymentMethodId, billingAccountId],
    );
    return result.rows[0] && toPaymentMethod(result.rows[0]);
  },

  /** Records the outcome of an unverified payment method; undefined when it is not (or no longer) unverified. */
  async recordVerificationOfUnverified(
    db: Queryable,
    billingAccountId: string,
    paymentMethodId: string,
    verification: { outcome: VerificationOutcome; reason?: string },
  ): Promise<PaymentMethod | undefined> {
    const result = await db.query<PaymentMethodRow>(
      `UPDATE payment_methods SET status = $3, verification_reason = $4, verification_recorded_at = now()
       WHERE id = $1 AND billing_account_id = $2 AND status = 'unverified' RETURNING ${PAYMENT_METHOD_COLUMNS}`,
      [paymentMethodId, billingAccountId, verification.outcome, verification.reason ?? null],
    );
    return result.rows[0] && toPaymentMethod(result.rows[0]);
  },
};
