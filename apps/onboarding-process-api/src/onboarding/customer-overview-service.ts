/**
 * The customer read side. `GET /v1/customers/{customerId}/overview`: the customer's profile, accounts (balances, latest
 * transactions), billing accounts (plan, masked payment method), composed from both System APIs
 * through their clients. The profile and accounts are essential (no overview without them); the
 * billing section and the transaction lists degrade: when their System API does not answer, the
 * overview is served without them and `unavailable` names what is missing.
 * `GET /v1/customers`: the end user's own customers, a page of overviews in one answer (found in our
 * own data, composed in parallel here), so an Experience API never asks for them one by one.
 * `GET /v1/customers/{customerId}/accounts/{accountId}/transactions`: one account's history, paged
 * and date-filtered by the account System API, behind the same ownership check.
 */
import type { FastifyBaseLogger } from 'fastify';
import { DownstreamRejected, DownstreamUnavailable } from '@bartholomew/platform/http-client';
import { InvalidParameter, type Database } from '@bartholomew/platform/db';
import type { AccountSystemClient } from '@bartholomew/clients-account-system';
import type { BillingSystemClient } from '@bartholomew/clients-billing-system';
import type { BillingAccountSummary, FeePlan, PaymentMethod } from '@bartholomew/contracts-billing-system';
import { AccountSystemProblemCode, type AccountSummary, type Transaction } from '@bartholomew/contracts-account-system';
import type {
  AccountTransactionPage,
  AccountTransactionsQuery,
  BillingOverview,
  CustomerList,
  CustomerOverview,
  DepositAccountOverview,
  ListCustomersQuery,
  MaskedPaymentMethod,
  OverviewSection,
  RecentTransaction,
} from '@bartholomew/contracts-onboarding-process';
import type { FeePlanCache } from '../downstreams/fee-plan-cache';
import { AccountNotFound, CustomerNotFound, InvalidCursor, InvalidDateRange } from '../errors';
import { decodeCustomerCursor, encodeCustomerCursor } from './list-cursor';
import { listCustomersOfOwner, ownersOfCustomer } from './onboarding-repository';
import type { Requester } from './onboarding-service';

const RECENT_TRANSACTIONS = 5;
const DEFAULT_TRANSACTION_PAGE = 20;
const DEFAULT_CUSTOMER_PAGE = 10;

export class CustomerOverviewService {
  constructor(
    private readonly options: {
      db: Database;
      accountSystem: AccountSystemClient;
      billingSystem: BillingSystemClient;
      /** Billing's fee plans as the product list reads them: an overview costs billing no plan call. */
      feePlans: FeePlanCache;
      log: FastifyBaseLogger;
    },
  ) {}

  async overview(requester: Requester, customerId: string): Promise<CustomerOverview> {
    await this.checkOwnership(requester, customerId);
    return this.compose(customerId, { requestId: requester.requestId });
  }

  /**
   * One page of the customers `endUser`'s completed onboardings created, newest customer first,
   * each as its overview. Ownership comes from the query itself (only this owner's onboardings),
   * so there is no per-customer check. A customer the account System API no longer knows is left
   * out (and logged) rather than failing the whole page.
   */
  async customersOf(endUser: string, requestId: string, query: ListCustomersQuery): Promise<CustomerList> {
    const limit = query.limit ?? DEFAULT_CUSTOMER_PAGE;
    const positions = await listCustomersOfOwner(this.options.db, {
      owner: endUser,
      limit: limit + 1,
      after: query.cursor ? decodeCustomerCursor(query.cursor) : undefined,
    });
    const page = positions.slice(0, limit);
    const overviews = await Promise.all(
      page.map(({ customerId }) =>
        this.compose(customerId, { requestId }).catch((error: unknown) => {
          if (!(error instanceof CustomerNotFound)) throw error;
          this.options.log.warn({ customerId }, 'customer of a completed onboarding unknown to the account System API: left out of the list');
          return undefined;
        }),
      ),
    );
    const last = page.at(-1);
    return {
      items: overviews.filter((overview): overview is CustomerOverview => overview !== undefined),
      nextCursor: positions.length > limit && last ? encodeCustomerCursor(last) : null,
    };
  }

  /** The overview of a customer whose ownership the caller has already established. */
  private async compose(customerId: string, call: { requestId: string }): Promise<CustomerOverview> {
    const { accountSystem } = this.options;
    const unavailable = new Set<OverviewSection>();

    // One call to each System API, whatever the number of accounts: every hop costs both sides a request.
    const [{ customer, accounts }, billingAccounts] = await Promise.all([
      accountSystem.getCustomerRelationship(customerId, RECENT_TRANSACTIONS, call).catch((error: unknown) => {
        if (error instanceof DownstreamRejected && error.status === 404) throw new CustomerNotFound(customerId);
        throw error;
      }),
      this.billing(customerId, call, unavailable),
    ]);
    return {
      customer: {
        customerId: customer.customerId,
        legalName: customer.legalName,
        email: customer.email,
        phone: customer.phone,
        address: customer.address,
        ssnLast4: customer.taxIdLast4,
        customerSince: customer.createdAt,
      },
      accounts: accounts.map((summary) => accountOverview(summary, unavailable)),
      billingAccounts,
      unavailable: [...unavailable],
      asOf: new Date().toISOString(),
    };
  }

  /**
   * One page of an account's transactions, newest first. The customer must be the end user's (as
   * for the overview) and the account the customer's; otherwise 404, as if neither existed.
   */
  async accountTransactions(
    requester: Requester,
    customerId: string,
    accountId: string,
    query: AccountTransactionsQuery,
  ): Promise<AccountTransactionPage> {
    const { from, to, cursor, limit = DEFAULT_TRANSACTION_PAGE } = query;
    // Both are YYYY-MM-DD, so comparing the strings compares the days.
    if (from !== undefined && to !== undefined && from > to) throw new InvalidDateRange();
    await this.checkOwnership(requester, customerId);
    const call = { requestId: requester.requestId };
    const { accountSystem } = this.options;
    const account = await accountSystem.getAccount(accountId, call).catch((error: unknown) => {
      if (error instanceof DownstreamRejected && error.status === 404) throw new AccountNotFound(accountId);
      throw error;
    });
    if (account.customerId !== customerId) throw new AccountNotFound(accountId);
    // REVIEW: the System API's cursor is passed on as ours. It is opaque and already bound to the
    // account's filter there; wrapping it would add nothing until a second source of transactions exists.
    const page = await accountSystem.listTransactions(accountId, { limit, cursor, from, to }, call).catch((error: unknown) => {
      if (error instanceof DownstreamRejected) {
        if (error.status === 404) throw new AccountNotFound(accountId);
        if (error.problem?.code === AccountSystemProblemCode.INVALID_CURSOR) throw new InvalidCursor();
        // A date our schema lets through but the ledger cannot store (year 0): the caller's 400.
        if (error.status === 400 && error.problem?.code === 'INVALID_PARAMETER') throw new InvalidParameter();
      }
      throw error;
    });
    return {
      items: page.items.map(transactionView),
      nextCursor: page.nextCursor,
    };
  }

  /**
   * Object-level check first, from our own data: an end user sees only a customer one of their
   * onboardings created. Anyone else's customer is "not found" — the same answer as no customer.
   */
  private async checkOwnership(requester: Requester, customerId: string): Promise<void> {
    if (requester.isOperator) return;
    const owners = await ownersOfCustomer(this.options.db, customerId);
    if (!requester.endUser || !owners.includes(requester.endUser)) throw new CustomerNotFound(customerId);
  }

  private async billing(customerId: string, call: { requestId: string }, unavailable: Set<OverviewSection>): Promise<BillingOverview[]> {
    const { billingSystem } = this.options;
    try {
      const summaries = await billingSystem.listBillingAccountSummaries(customerId, call);
      return await Promise.all(summaries.map((summary) => this.billingOverview(summary, call)));
    } catch (error) {
      if (!(error instanceof DownstreamUnavailable)) throw error;
      this.options.log.warn({ reason: error.message }, 'customer overview served without billing');
      unavailable.add('billing');
      return [];
    }
  }

  /** A plan from the shared list of fee plans; one the list no longer has (withdrawn since) is asked for on its own. */
  private async feePlan(planCode: string, call: { requestId: string }): Promise<FeePlan> {
    const { plans } = await this.options.feePlans.feePlans(call.requestId);
    return plans.find((plan) => plan.planCode === planCode) ?? this.options.billingSystem.getFeePlan(planCode, call);
  }

  private async billingOverview({ billingAccount, paymentMethods }: BillingAccountSummary, call: { requestId: string }): Promise<BillingOverview> {
    const plan = await this.feePlan(billingAccount.planCode, call);
    return {
      billingAccountId: billingAccount.billingAccountId,
      accountId: billingAccount.accountId,
      status: billingAccount.status,
      plan: {
        planCode: plan.planCode,
        name: plan.name,
        monthlyFee: plan.monthlyFee,
      },
      paymentMethod: preferredPaymentMethod(paymentMethods),
    };
  }
}

/** One account of the customer relationship as the overview shows it; missing postings are named in `unavailable`. */
function accountOverview({ account, balance, recentTransactions }: AccountSummary, unavailable: Set<OverviewSection>): DepositAccountOverview {
  if (!recentTransactions) unavailable.add('recent_transactions');
  return {
    accountId: account.accountId,
    accountNumberMasked: account.accountNumberMasked,
    productType: account.productType,
    currency: account.currency,
    status: account.status,
    openedAt: account.openedAt,
    ledgerBalance: balance.ledgerBalance,
    availableBalance: balance.availableBalance,
    balanceAsOf: balance.asOf,
    recentTransactions: (recentTransactions ?? []).map(transactionView),
  };
}

/** A System API transaction in this API's own shape (its `reference` and account id left out). */
function transactionView(transaction: Transaction): RecentTransaction {
  return {
    transactionId: transaction.transactionId,
    direction: transaction.direction,
    amount: transaction.amount,
    description: transaction.description,
    balanceAfter: transaction.balanceAfter,
    postedAt: transaction.postedAt,
  };
}

/** The verified payment method if there is one, else the newest; masked. */
function preferredPaymentMethod(methods: PaymentMethod[]): MaskedPaymentMethod | null {
  const chosen = methods.find((method) => method.status === 'verified') ?? [...methods].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
  if (!chosen) return null;
  return {
    paymentMethodId: chosen.paymentMethodId,
    routingNumber: chosen.routingNumber,
    accountNumberMasked: chosen.accountNumberMasked,
    accountType: chosen.accountType,
    status: chosen.status,
  };
}
