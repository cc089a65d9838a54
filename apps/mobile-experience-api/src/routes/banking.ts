import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  NoQuerySchema,
  AccountDetailQuerySchema,
  AccountDetailSchema,
  AccountParamsSchema,
  BillingSchema,
  HomeSchema,
  type AccountDetail,
  type Billing,
  type Home,
  type TransactionLine,
} from '@bartholomew/contracts-mobile-experience';
import { ref, type AccountTransactionPage } from '@bartholomew/contracts-onboarding-process';
import { ProblemSchema } from '@bartholomew/contracts-shared';
import { accountName, findAccount, firstNameOf } from '../banking/customer-accounts';
import { AccountNotFound, ServiceUnavailable, withStaleMarker } from '@bartholomew/experience-kit';
import { nextStepOf } from '../onboarding/next-step';
import { readProblems } from './responses';

/**
 * Home, account detail and billing: the customer's banking screens, from the Process API's
 * customer overview (and, for an account's transactions, its transaction listing).
 */
export const bankingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/home',
    {
      schema: {
        operationId: 'getHome',
        querystring: NoQuerySchema,
        summary: 'The home screen: accounts with balances — or, before the first account, where the application stands',
        tags: ['banking'],
        response: { 200: ref(HomeSchema), ...readProblems },
      },
    },
    async (request) => {
      const overviews = await app.process.customerOverviews(request);
      const accounts = overviews.flatMap((overview) => overview.accounts);
      let home: Home;
      if (accounts.length > 0) {
        home = {
          firstName: firstNameOf(overviews[0].customer.legalName),
          accounts: accounts.map((account) => ({
            id: account.accountId,
            name: accountName(account.productType),
            number: account.accountNumberMasked,
            balance: account.ledgerBalance.amountMinor,
            available: account.availableBalance.amountMinor,
            currency: account.currency,
          })),
        };
      } else {
        const [latest] = (await app.process.listOnboardings(request, { limit: 1 })).items;
        home = {
          accounts: [],
          ...(latest ? { onboarding: { id: latest.id, next: nextStepOf(latest).next } } : {}),
        };
      }
      return withStaleMarker(request, home);
    },
  );

  app.get(
    '/v1/accounts/:accountId',
    {
      schema: {
        operationId: 'getAccount',
        summary: 'Account detail: balances and the account’s transactions, newest first (cursor-paginated over its whole history)',
        description:
          'Pass `nextCursor` back as `cursor` for the next page. When the transactions cannot be loaded (and none were seen ' +
          'before), balances are still shown with `transactionsUnavailable: true`.',
        tags: ['banking'],
        params: AccountParamsSchema,
        querystring: AccountDetailQuerySchema,
        response: {
          200: ref(AccountDetailSchema),
          ...readProblems,
          404: ProblemSchema,
        },
      },
    },
    async (request) => {
      const found = findAccount(await app.process.customerOverviews(request), request.params.accountId);
      if (!found) throw new AccountNotFound(request.params.accountId);
      const { account, overview } = found;
      const query = {
        limit: request.query.limit ?? 10,
        cursor: request.query.cursor,
      };
      let transactions: AccountTransactionPage | undefined;
      let transactionsUnavailable = false;
      try {
        transactions = await app.process.listAccountTransactions(request, overview.customer.customerId, account.accountId, query);
      } catch (error) {
        // Balances without transactions beat no screen at all; a stale or fresh overview is already in hand.
        if (!(error instanceof ServiceUnavailable)) throw error;
        transactionsUnavailable = true;
      }
      // The overview lists the account but the Process API no longer does (closed meanwhile, or ownership changed).
      if (!transactions && !transactionsUnavailable) throw new AccountNotFound(request.params.accountId);
      const lines: TransactionLine[] = (transactions?.items ?? []).map((transaction) => ({
        id: transaction.transactionId,
        amount: transaction.direction === 'credit' ? transaction.amount.amountMinor : -transaction.amount.amountMinor,
        label: transaction.description,
        postedAt: transaction.postedAt,
      }));
      const detail: AccountDetail = {
        id: account.accountId,
        name: accountName(account.productType),
        number: account.accountNumberMasked,
        status: account.status,
        balance: account.ledgerBalance.amountMinor,
        available: account.availableBalance.amountMinor,
        currency: account.currency,
        transactions: lines,
        nextCursor: transactions?.nextCursor ?? null,
        ...(transactionsUnavailable ? { transactionsUnavailable: true as const } : {}),
      };
      return withStaleMarker(request, detail);
    },
  );

  app.get(
    '/v1/billing',
    {
      schema: {
        operationId: 'getBilling',
        querystring: NoQuerySchema,
        summary: 'Billing: each account’s plan, monthly fee and the masked bank account fees are paid from',
        description: 'When billing cannot be loaded, the last good answer is served marked stale, else 503 with Retry-After.',
        tags: ['banking'],
        response: { 200: ref(BillingSchema), ...readProblems },
      },
    },
    async (request) => {
      const overviews = await app.process.customerOverviews(request);
      // The overview leaves billing out when the billing system does not answer: that is this screen's whole content.
      if (overviews.some((overview) => overview.unavailable.includes('billing')))
        return withStaleMarker(request, app.process.lastAnswerOr503<Billing>(request, 'billing'));
      const billing: Billing = {
        plans: overviews.flatMap((overview) =>
          overview.billingAccounts.map((billingAccount) => ({
            accountId: billingAccount.accountId,
            plan: billingAccount.plan.name,
            monthlyFee: billingAccount.plan.monthlyFee.amountMinor,
            currency: billingAccount.plan.monthlyFee.currency,
            payFrom: billingAccount.paymentMethod
              ? {
                  number: billingAccount.paymentMethod.accountNumberMasked,
                  type: billingAccount.paymentMethod.accountType,
                  verified: billingAccount.paymentMethod.status === 'verified',
                }
              : null,
          })),
        ),
      };
      app.process.rememberAnswer(request, 'billing', billing);
      return withStaleMarker(request, billing);
    },
  );
};
