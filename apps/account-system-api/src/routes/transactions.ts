import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  AccountParamsSchema,
  PostTransactionRequestSchema,
  ref,
  TransactionPageQuerySchema,
  TransactionPageSchema,
  TransactionSchema,
} from '@bartholomew/contracts-account-system';
import { commonProblemResponses, IdempotentWriteHeadersSchema, ProblemSchema } from '@bartholomew/contracts-shared';
import { IDEMPOTENT_REPLY } from '@bartholomew/platform/server';
import { InvalidDateRange } from '../errors';
import { created, idempotencyTokenOf } from './idempotent-write';
import { KEYED_WRITE_UNAVAILABLE, READ_UNAVAILABLE } from './unavailable';

const DEFAULT_PAGE_SIZE = 20;

/** Postings to an account's ledger and its transaction history. */
export const transactionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/v1/accounts/:accountId/transactions',
    {
      schema: {
        ...IDEMPOTENT_REPLY,
        operationId: 'postTransaction',
        summary: 'Post a credit or a debit',
        description:
          'Closed accounts take nothing (409 ACCOUNT_CLOSED); frozen ones take credits only (409 ACCOUNT_FROZEN); ' +
          'a debit beyond the available balance is refused (422 INSUFFICIENT_FUNDS), as is a posting in another ' +
          'currency (422 CURRENCY_MISMATCH). Requires an Idempotency-Key.' +
          KEYED_WRITE_UNAVAILABLE,
        tags: ['transactions'],
        headers: IdempotentWriteHeadersSchema,
        params: AccountParamsSchema,
        body: ref(PostTransactionRequestSchema),
        response: {
          201: ref(TransactionSchema),
          ...commonProblemResponses,
          404: ProblemSchema,
          409: ProblemSchema,
          422: ProblemSchema,
          503: ProblemSchema,
        },
      },
    },
    async (request, reply) => {
      const { accountId } = request.params;
      const token = idempotencyTokenOf(request, 'post-transaction', { accountId, posting: request.body });
      return created(reply, await app.coreBanking.postTransaction(accountId, request.body, token));
    },
  );

  app.get(
    '/v1/accounts/:accountId/transactions',
    {
      schema: {
        operationId: 'listTransactions',
        summary: "List an account's transactions",
        description:
          'Newest first, keyset-paginated: pass `nextCursor` back as `cursor`; it is null on the last page. ' +
          '`from` and `to` (YYYY-MM-DD) keep postings on those UTC calendar days, both inclusive; `from` after `to` is ' +
          '400 INVALID_DATE_RANGE. A cursor is valid only with the same `from` and `to` it was issued with (else 400 INVALID_CURSOR).' +
          READ_UNAVAILABLE,
        tags: ['transactions'],
        params: AccountParamsSchema,
        querystring: TransactionPageQuerySchema,
        response: { 200: ref(TransactionPageSchema), ...commonProblemResponses, 404: ProblemSchema, 503: ProblemSchema },
      },
    },
    async (request) => {
      const { from, to, cursor, limit = DEFAULT_PAGE_SIZE } = request.query;
      // Both are YYYY-MM-DD, so comparing the strings compares the days.
      if (from !== undefined && to !== undefined && from > to) throw new InvalidDateRange();
      return app.coreBanking.listTransactions(request.params.accountId, { limit, cursor, from, to });
    },
  );
};
