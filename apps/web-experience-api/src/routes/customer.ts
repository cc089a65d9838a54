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
import { AccountNotFound, CustomerNotFound, InvalidDateRange, withStaleMarker } from '@bartholomew/experience-kit';
import { customerOverviewView } from '../views/customer-view';
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
        response: {
          200: ref(CustomerOverviewViewSchema),
          ...readProblems,
          404: ProblemSchema,
        },
      },
    },
    async (request) => {
      const [newest, ...older] = await app.process.customerOverviews(request);
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
          'Searches the account’s whole history: the Process API pages and filters it. `from`/`to` are YYYY-MM-DD days read ' +
          'in UTC, both inclusive (`from` after `to`: 400 INVALID_DATE_RANGE). Pass `nextCursor` back as `cursor` with the same ' +
          '`from`/`to` (another filter: 400 INVALID_CURSOR). Someone else’s account: 404.',
        tags: ['customer'],
        params: AccountParamsSchema,
        querystring: TransactionQuerySchema,
        response: {
          200: ref(TransactionPageViewSchema),
          ...readProblems,
          404: ProblemSchema,
        },
      },
    },
    async (request) => {
      const { from, to, cursor, limit = 25 } = request.query;
      if (from && to && from > to) throw new InvalidDateRange();
      const { accountId } = request.params;
      // The user's customers (the Process API lists only theirs) say whose account this is; the
      // Process API checks again that the customer is the user's and the account the customer's (else 404).
      const owner = (await app.process.customerOverviews(request)).find((overview) =>
        overview.accounts.some((account) => account.accountId === accountId),
      );
      const found = owner && (await app.process.listAccountTransactions(request, owner.customer.customerId, accountId, { from, to, cursor, limit }));
      if (!found) throw new AccountNotFound(accountId);
      const page: TransactionPageView = {
        accountId,
        items: found.items,
        nextCursor: found.nextCursor,
      };
      return withStaleMarker(request, page);
    },
  );
};
