import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  NoQuerySchema,
  AccountParamsSchema,
  CustomerOverviewViewSchema,
  TransactionPageViewSchema,
  TransactionQuerySchema,
  type TransactionPageView,
} from '@bartholomew/contracts-web-experience';
import { ref } from '@bartholomew/contracts-onboarding-process';
import { ProblemSchema } from '@bartholomew/contracts-shared';
import { AccountNotFound, CustomerNotFound, InvalidCursor, InvalidDateRange } from '../errors';
import { withStaleMarker } from '../http/conditional-reads';
import { customerOverviewView, findAccount, overviewsOf } from '../views/customer-view';
import { decodeCursor, searchTransactions } from '../views/transaction-search';
import { readProblems } from './responses';

/** Web banking's customer views: the overview, and an account's transactions with date filters. */
export const customerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/overview',
    {
      schema: {
        operationId: 'getCustomerOverview',
        querystring: NoQuerySchema,
        summary: 'Your profile (masked), accounts with balances, billing accounts with plan and payment methods',
        description: '`unavailable` lists sections the bank could not load this time; the rest is current.',
        tags: ['customer'],
        response: { 200: ref(CustomerOverviewViewSchema), ...readProblems, 404: ProblemSchema },
      },
    },
    async (request) => {
      const [newest, ...older] = await overviewsOf(app.process, request);
      if (!newest) throw new CustomerNotFound();
      return withStaleMarker(request, customerOverviewView([newest, ...older]));
    },
  );

  app.get(
    '/v1/accounts/:accountId/transactions',
    {
      schema: {
        operationId: 'searchTransactions',
        summary: 'An account’s transactions, newest first, filtered by date (UTC days, inclusive) and paginated',
        description:
          'The Process API offers no transaction search, only each account’s latest transactions: this API filters and pages ' +
          'those (`recentOnly: true`; `searchedFrom` is the oldest posting searched).',
        tags: ['customer'],
        params: AccountParamsSchema,
        querystring: TransactionQuerySchema,
        response: { 200: ref(TransactionPageViewSchema), ...readProblems, 404: ProblemSchema },
      },
    },
    async (request) => {
      const { from, to, cursor, limit = 25 } = request.query;
      if (from && to && from > to) throw new InvalidDateRange();
      const after = cursor === undefined ? undefined : decodeCursor(cursor, { from, to });
      if (cursor !== undefined && !after) throw new InvalidCursor();
      const found = findAccount(await overviewsOf(app.process, request), request.params.accountId);
      if (!found) throw new AccountNotFound(request.params.accountId);
      const { account, overview } = found;
      const { items, nextCursor } = searchTransactions(account.recentTransactions, { from, to }, { limit, after });
      const postings = account.recentTransactions.map((transaction) => transaction.postedAt).sort();
      const page: TransactionPageView = {
        accountId: account.accountId,
        items,
        nextCursor,
        searchedFrom: postings[0] ?? null,
        recentOnly: true,
        ...(overview.unavailable.includes('recent_transactions') ? { transactionsUnavailable: true as const } : {}),
      };
      return withStaleMarker(request, page);
    },
  );
};
