import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  AdditionalAccountRequestSchema,
  AccountTransactionPageSchema,
  AccountTransactionsQuerySchema,
  CustomerAccountParamsSchema,
  CustomerListSchema,
  CustomerOverviewSchema,
  CustomerParamsSchema,
  ListCustomersQuerySchema,
  OnboardingSchema,
  ref,
} from '@bartholomew/contracts-onboarding-process';
import { IdempotencyKeySchema, ProblemSchema, commonProblemResponses } from '@bartholomew/contracts-shared';
import { IDEMPOTENT_REPLY, sendIdempotentReply } from '@bartholomew/platform/server';
import { EndUserRequired } from '../errors';
import { END_USER_HEADER, EndUserHeadersSchema, EndUserSubjectSchema, requesterOf } from './end-user';

const OpenAdditionalAccountHeadersSchema = Type.Object({
  'idempotency-key': IdempotencyKeySchema,
  [END_USER_HEADER]: Type.Optional(EndUserSubjectSchema),
});

/**
 * What the Experience APIs use of a customer: the end user's customers, one customer's accounts,
 * billing and transactions, from both System APIs — and another account for one of them.
 */
export const customerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/v1/customers/:customerId/onboardings',
    {
      schema: {
        ...IDEMPOTENT_REPLY,
        operationId: 'openAdditionalAccount',
        summary: 'Open another account for one of the end user’s customers: an onboarding from only the product, plan and funding',
        description:
          'For a customer one of the end user’s onboardings is recorded against (anyone else’s, or none: 404 CUSTOMER_NOT_FOUND). ' +
          'The applicant is the customer as the end user’s earlier application stated them; the body brings only what is new. ' +
          'Checked like a new application (422 with the fields) and run by the same workflow (KYC included), which opens the ' +
          'account for this customer. Answers 202 and the onboarding at once; follow it at `Location`. Idempotency-Key required: ' +
          'same key and body again → the original answer; same key, different body → 422; while the first is still being accepted → 409.',
        tags: ['customers'],
        headers: OpenAdditionalAccountHeadersSchema,
        params: CustomerParamsSchema,
        body: ref(AdditionalAccountRequestSchema),
        response: { 202: ref(OnboardingSchema), ...commonProblemResponses, 404: ProblemSchema, 409: ProblemSchema, 422: ProblemSchema },
      },
    },
    async (request, reply) => {
      const requester = requesterOf(request);
      // The owner is recorded on the onboarding: even an operator opens one for a named end user.
      if (!requester.endUser) throw new EndUserRequired();
      const result = await app.onboardings.startForCustomer(
        { ...requester, endUser: requester.endUser },
        request.headers['idempotency-key'],
        request.params.customerId,
        request.body,
      );
      return sendIdempotentReply(reply, result, { location: `/v1/onboardings/${result.body.id}` });
    },
  );

  app.get(
    '/v1/customers',
    {
      schema: {
        operationId: 'listCustomers',
        summary: 'The end user’s own customers, newest first, each with its accounts, billing and masked payment method: one call for a home screen',
        description:
          'The customers the completed onboardings of the end user named in `x-end-user-subject` created (an operator ' +
          'must name one too: 400 END_USER_REQUIRED), each counted once, newest first, keyset-paginated: pass ' +
          '`nextCursor` back as `cursor` (a cursor this listing did not issue: 400 INVALID_CURSOR). Each item is the ' +
          'customer’s overview, as `GET /v1/customers/{customerId}/overview` answers it — `unavailable` says what a ' +
          'slow System API left out. 503 when the account System API does not answer.',
        tags: ['customers'],
        headers: EndUserHeadersSchema,
        querystring: ListCustomersQuerySchema,
        response: {
          200: ref(CustomerListSchema),
          ...commonProblemResponses,
          503: ProblemSchema,
        },
      },
    },
    async (request) => {
      const { endUser, requestId } = requesterOf(request);
      // The owner is always the named end user: there is no `owner` parameter to get wrong.
      if (!endUser) throw new EndUserRequired();
      return app.customerOverview.customersOf(endUser, requestId, request.query);
    },
  );

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
        response: {
          200: ref(CustomerOverviewSchema),
          ...commonProblemResponses,
          404: ProblemSchema,
          503: ProblemSchema,
        },
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
        response: {
          200: ref(AccountTransactionPageSchema),
          ...commonProblemResponses,
          404: ProblemSchema,
          503: ProblemSchema,
        },
      },
    },
    async (request) =>
      app.customerOverview.accountTransactions(requesterOf(request), request.params.customerId, request.params.accountId, request.query),
  );
};
