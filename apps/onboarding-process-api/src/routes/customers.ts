import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  AccountTransactionPageSchema,
  AccountTransactionsQuerySchema,
  CustomerAccountParamsSchema,
  CustomerOverviewSchema,
  CustomerParamsSchema,
  ref,
} from '@bartholomew/contracts-onboarding-process';
import { ProblemSchema, commonProblemResponses } from '@bartholomew/contracts-shared';
import { EndUserHeadersSchema, requesterOf } from './end-user';

/** The read side the Experience APIs use: one customer's accounts, billing and transactions, from both System APIs. */
export const customerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/customers/:customerId/overview',
    {
      schema: {
        operationId: 'getCustomerOverview',
        summary: 'A customer’s accounts (balances, recent transactions), billing account, plan and masked payment method',
        description:
          'End users see only the customer their onboarding created (anyone else’s: 404). When the billing System API ' +
          'does not answer, the overview is served without billing and `unavailable` says so.',
        tags: ['customers'],
        headers: EndUserHeadersSchema,
        params: CustomerParamsSchema,
        response: { 200: ref(CustomerOverviewSchema), ...commonProblemResponses, 404: ProblemSchema, 503: ProblemSchema },
      },
    },
    async (request) => app.customerOverview.overview(requesterOf(request), request.params.customerId),
  );

  app.get(
    '/v1/customers/:customerId/accounts/:accountId/transactions',
    {
      schema: {
        operationId: 'listAccountTransactions',
        summary: 'An account’s transactions, newest first, keyset-paginated, optionally only those posted from/to given days (UTC, inclusive)',
        description:
          'End users see only the customer their onboarding created (anyone else’s: 404 CUSTOMER_NOT_FOUND), and only that ' +
          'customer’s accounts (anyone else’s: 404 ACCOUNT_NOT_FOUND). `from`/`to` are YYYY-MM-DD days read in UTC, both ' +
          'inclusive; `from` after `to` is 400 INVALID_DATE_RANGE. Pass `nextCursor` back as `cursor` with the same `from`/`to` ' +
          '(another filter: 400 INVALID_CURSOR). 503 DOWNSTREAM_UNAVAILABLE when the account System API does not answer.',
        tags: ['customers'],
        headers: EndUserHeadersSchema,
        params: CustomerAccountParamsSchema,
        querystring: AccountTransactionsQuerySchema,
        response: { 200: ref(AccountTransactionPageSchema), ...commonProblemResponses, 404: ProblemSchema, 503: ProblemSchema },
      },
    },
    async (request) =>
      app.customerOverview.accountTransactions(requesterOf(request), request.params.customerId, request.params.accountId, request.query),
  );
};
