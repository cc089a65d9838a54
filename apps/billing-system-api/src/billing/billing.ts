import type {
  AddPaymentMethodRequest,
  BillingAccount,
  BillingAccountSummary,
  FeePlan,
  OpenBillingAccountRequest,
  PaymentMethod,
  RecordVerificationRequest,
} from '@bartholomew/contracts-billing-system';
import type { Database } from '@bartholomew/platform/db';
import { fingerprintRequest, withIdempotency, type IdempotentResult, type PiiVault } from '@bartholomew/platform/server';
import {
  BillingAccountAlreadyExists,
  BillingAccountClosed,
  BillingAccountNotFound,
  FeePlanNotFound,
  InvalidRoutingNumber,
  PaymentMethodAlreadyExists,
  PaymentMethodNotFound,
  UnknownFeePlan,
  VerificationAlreadyRecorded,
} from '../errors';
import { billingRepository as repository, UniqueConstraint, violatesUnique, type Queryable } from './billing-repository';
import { isValidRoutingNumber } from './routing-number';

/** Who asked for an idempotent write, and with which `Idempotency-Key`. */
export interface IdempotentWrite {
  callerName: string;
  idempotencyKey: string;
}

/**
 * What the billing System API can do, in the bank's words. Routes call this, never SQL: it owns
 * the rules (closed is final, verification outcomes are final, bank account numbers are encrypted)
 * and runs each change in one transaction.
 */
export class Billing {
  constructor(
    private readonly db: Database,
    private readonly pii: PiiVault,
  ) {}

  listFeePlans(): Promise<FeePlan[]> {
    return repository.listFeePlans(this.db);
  }

  async getFeePlan(planCode: string): Promise<FeePlan> {
    const plan = await repository.findFeePlan(this.db, planCode);
    if (!plan) throw new FeePlanNotFound(planCode);
    return plan;
  }

  /** Opens a billing account at most once per idempotency key (replays answer the first result). */
  openBillingAccount(request: OpenBillingAccountRequest, write: IdempotentWrite): Promise<IdempotentResult<BillingAccount>> {
    return withIdempotency(
      this.db,
      { scope: `${write.callerName}:open-billing-account`, key: write.idempotencyKey, requestHash: fingerprintRequest(this.pii, request) },
      async (client) => {
        await this.requirePlanInCatalogue(client, request.planCode);
        try {
          return { statusCode: 201, body: await repository.insertBillingAccount(client, request) };
        } catch (error) {
          if (violatesUnique(error, UniqueConstraint.oneOpenBillingAccountPerDepositAccount)) {
            throw new BillingAccountAlreadyExists(request.accountId);
          }
          throw error;
        }
      },
    );
  }

  async getBillingAccount(billingAccountId: string): Promise<BillingAccount> {
    const account = await repository.findBillingAccount(this.db, billingAccountId);
    if (!account) throw new BillingAccountNotFound(billingAccountId);
    return account;
  }

  listBillingAccountsOfCustomer(customerId: string): Promise<BillingAccount[]> {
    return repository.listBillingAccountsOfCustomer(this.db, customerId);
  }

  /** The customer's billing accounts, each with its payment methods: two statements, whatever their number. */
  async listBillingAccountSummaries(customerId: string): Promise<BillingAccountSummary[]> {
    const billingAccounts = await repository.listBillingAccountsOfCustomer(this.db, customerId);
    if (billingAccounts.length === 0) return [];
    const paymentMethods = await repository.listPaymentMethodsOfBillingAccounts(
      this.db,
      billingAccounts.map((billingAccount) => billingAccount.billingAccountId),
    );
    return billingAccounts.map((billingAccount) => ({
      billingAccount,
      paymentMethods: paymentMethods.filter((method) => method.billingAccountId === billingAccount.billingAccountId),
    }));
  }

  /** Moves an open billing account to another plan of the catalogue; the same plan again changes nothing but `updatedAt`. */
  async changeFeePlan(billingAccountId: string, planCode: string): Promise<BillingAccount> {
    return this.db.transaction(async (client) => {
      await this.requirePlanInCatalogue(client, planCode);
      const changed = await repository.changeFeePlanOfOpenAccount(client, billingAccountId, planCode);
      if (changed) return changed;
      throw await this.whyNotOpen(client, billingAccountId);
    });
  }

  /**
   * Closes a billing account. Closing is final, and closing a closed account again answers it
   * unchanged — a compensation retried after a lost answer must not fail.
   */
  async closeBillingAccount(billingAccountId: string): Promise<BillingAccount> {
    const closed = await repository.closeOpenAccount(this.db, billingAccountId);
    if (closed) return closed;
    const account = await repository.findBillingAccount(this.db, billingAccountId);
    if (!account) throw new BillingAccountNotFound(billingAccountId);
    return account;
  }

  /**
   * Adds an ACH bank account to an open billing account, at most once per idempotency key. The
   * account number is stored encrypted; the same bank account twice on one billing account is refused.
   */
  async addPaymentMethod(
    billingAccountId: string,
    request: AddPaymentMethodRequest,
    write: IdempotentWrite,
  ): Promise<IdempotentResult<PaymentMethod>> {
    if (!isValidRoutingNumber(request.routingNumber)) throw new InvalidRoutingNumber();
    // The billing account is part of what is being asked: the same key and body on another account is a different request.
    const requestHash = fingerprintRequest(this.pii, { billingAccountId, ...request });
    return withIdempotency(this.db, { scope: `${write.callerName}:add-payment-method`, key: write.idempotencyKey, requestHash }, async (client) => {
      await this.requireOpenAccount(client, billingAccountId);
      try {
        const paymentMethod = await repository.insertPaymentMethod(client, billingAccountId, {
          routingNumber: request.routingNumber,
          accountNumberEncrypted: this.pii.encrypt(request.accountNumber),
          accountNumberLastFour: request.accountNumber.slice(-4),
          bankAccountFingerprint: this.pii.fingerprint(`${request.routingNumber}:${request.accountNumber}`),
          accountType: request.accountType,
          holderName: request.holderName,
        });
        return { statusCode: 201, body: paymentMethod };
      } catch (error) {
        if (violatesUnique(error, UniqueConstraint.oneBankAccountPerBillingAccount)) throw new PaymentMethodAlreadyExists(billingAccountId);
        throw error;
      }
    });
  }

  async listPaymentMethods(billingAccountId: string): Promise<PaymentMethod[]> {
    await this.getBillingAccount(billingAccountId);
    return repository.listPaymentMethods(this.db, billingAccountId);
  }

  async getPaymentMethod(billingAccountId: string, paymentMethodId: string): Promise<PaymentMethod> {
    await this.getBillingAccount(billingAccountId);
    const paymentMethod = await repository.findPaymentMethod(this.db, billingAccountId, paymentMethodId);
    if (!paymentMethod) throw new PaymentMethodNotFound(paymentMethodId);
    return paymentMethod;
  }

  /** Records the outcome of verifying an unverified payment method; `verified` and `failed` are final. */
  async recordVerification(billingAccountId: string, paymentMethodId: string, verification: RecordVerificationRequest): Promise<PaymentMethod> {
    return this.db.transaction(async (client) => {
      await this.requireOpenAccount(client, billingAccountId);
      const recorded = await repository.recordVerificationOfUnverified(client, billingAccountId, paymentMethodId, verification);
      if (recorded) return recorded;
      const current = await repository.findPaymentMethod(client, billingAccountId, paymentMethodId);
      if (!current) throw new PaymentMethodNotFound(paymentMethodId);
      throw new VerificationAlreadyRecorded(paymentMethodId, current.status);
    });
  }

  private async requirePlanInCatalogue(db: Queryable, planCode: string): Promise<void> {
    if (!(await repository.findFeePlan(db, planCode))) throw new UnknownFeePlan(planCode);
  }

  /** Finds the billing account and holds off a concurrent close until this transaction ends. */
  private async requireOpenAccount(db: Queryable, billingAccountId: string): Promise<BillingAccount> {
    const account = await repository.findBillingAccount(db, billingAccountId, 'share');
    if (!account) throw new BillingAccountNotFound(billingAccountId);
    if (account.status === 'closed') throw new BillingAccountClosed(billingAccountId);
    return account;
  }

  private async whyNotOpen(db: Queryable, billingAccountId: string): Promise<Error> {
    const account = await repository.findBillingAccount(db, billingAccountId);
    return account ? new BillingAccountClosed(billingAccountId) : new BillingAccountNotFound(billingAccountId);
  }
}
