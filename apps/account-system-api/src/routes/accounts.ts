import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  AccountBalanceSchema,
  AccountListSchema,
  AccountSummaryListSchema,
  AccountSummaryQuerySchema,
  AccountParamsSchema,
  AccountSchema,
  ChangeAccountStatusRequestSchema,
  CustomerParamsSchema,
  CustomerRelationshipSchema,
  OpenAccountRequestSchema,
  ref,
  type Account,
  type AccountSummary,
} from '@bartholomew/contracts-account-system';
import { commonProblemResponses, IdempotentWriteHeadersSchema, ProblemSchema } from '@bartholomew/contracts-shared';
import { IDEMPOTENT_REPLY } from '@bartholomew/platform/server';
import { created, idempotencyTokenOf } from './idempotent-write';
import { KEYED_WRITE_UNAVAILABLE, READ_UNAVAILABLE, WRITE_UNAVAILABLE } from './unavailable';

/** Deposit accounts: opening, reading, listing a customer's, status changes and balances. */
export const accountRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/v1/accounts',
    {
      schema: {
        ...IDEMPOTENT_REPLY,
        operationId: 'openAccount',
        summary: 'Open a deposit account',
        description:
          'Opens an active account with a zero balance and a new account number (shown masked). ' +
          'An unknown customer is refused with 422 CUSTOMER_NOT_FOUND. Requires an Idempotency-Key.' +
          KEYED_WRITE_UNAVAILABLE,
        tags: ['accounts'],
        headers: IdempotentWriteHeadersSchema,
        body: ref(OpenAccountRequestSchema),
        response: { 201: ref(AccountSchema), ...commonProblemResponses, 422: ProblemSchema, 503: ProblemSchema },
      },
    },
    async (request, reply) => {
      const result = await app.coreBanking.openAccount(request.body, idempotencyTokenOf(request, 'open-account', request.body));
      return created(reply, result);
    },
  );

  app.get(
    '/v1/accounts/:accountId',
    {
      schema: {
        operationId: 'getAccount',
        summary: 'Get an account',
        description: READ_UNAVAILABLE.trim(),
        tags: ['accounts'],
        params: AccountParamsSchema,
        response: { 200: ref(AccountSchema), ...commonProblemResponses, 404: ProblemSchema, 503: ProblemSchema },
      },
    },
    async (request) => app.coreBanking.getAccount(request.params.accountId),
  );

  app.get(
    '/v1/customers/:customerId/accounts',
    {
      schema: {
        operationId: 'listCustomerAccounts',
        summary: "List a customer's accounts",
        description: 'Oldest first; closed accounts included.' + READ_UNAVAILABLE,
        tags: ['accounts'],
        params: CustomerParamsSchema,
        response: { 200: ref(AccountListSchema), ...commonProblemResponses, 404: ProblemSchema, 503: ProblemSchema },
      },
    },
    async (request) => ({ items: await app.coreBanking.listCustomerAccounts(request.params.customerId) }),
  );

  /** An account with its balance and latest postings; postings core banking cannot list just now are left out. */
  const summaryOf = async (account: Account, recentTransactions: number): Promise<AccountSummary> => {
    const [balance, transactions] = await Promise.all([
      app.coreBanking.getBalance(account.accountId),
      recentTransactions === 0
        ? []
        : app.coreBanking.listTransactions(account.accountId, { limit: recentTransactions }).then(
            (page) => page.items,
            (error: unknown) => {
              if ((error as { statusCode?: number }).statusCode !== 503) throw error;
              return undefined;
            },
          ),
    ]);
    return { account, balance, ...(transactions ? { recentTransactions: transactions } : {}) };
  };

  app.get(
    '/v1/customers/:customerId/account-summaries',
    {
      schema: {
        operationId: 'listCustomerAccountSummaries',
        summary: "A customer's accounts, each with its balance and latest transactions",
        description:
          'Oldest account first; closed accounts included. One call for what a customer overview shows, instead of a ' +
          'balance and a transaction-history call per account. `recentTransactions` (0–20, default 5) per account, newest ' +
          'first; left out of an account when core banking could not list them just now.' +
          READ_UNAVAILABLE,
        tags: ['accounts'],
        params: CustomerParamsSchema,
        querystring: AccountSummaryQuerySchema,
        response: { 200: ref(AccountSummaryListSchema), ...commonProblemResponses, 404: ProblemSchema, 503: ProblemSchema },
      },
    },
    async (request) => {
      const accounts = await app.coreBanking.listCustomerAccounts(request.params.customerId);
      const recent = request.query.recentTransactions ?? 5;
      return { items: await Promise.all(accounts.map((account) => summaryOf(account, recent))) };
    },
  );

  app.get(
    '/v1/customers/:customerId/relationship',
    {
      schema: {
        operationId: 'getCustomerRelationship',
        summary: 'A customer with every account they hold, each with its balance and latest transactions',
        description:
          'What a customer overview needs from core banking in one call: the customer (as `GET /v1/customers/{customerId}`) ' +
          'and their account summaries (as `GET /v1/customers/{customerId}/account-summaries`). Each internal call costs ' +
          'both sides a request, so a screen should not pay for two where one does. `recentTransactions` as there.' +
          READ_UNAVAILABLE,
        tags: ['accounts'],
        params: CustomerParamsSchema,
        querystring: AccountSummaryQuerySchema,
        response: { 200: ref(CustomerRelationshipSchema), ...commonProblemResponses, 404: ProblemSchema, 503: ProblemSchema },
      },
    },
    async (request) => {
      const { customerId } = request.params;
      const recent = request.query.recentTransactions ?? 5;
      const [customer, accounts] = await Promise.all([app.coreBanking.getCustomer(customerId), app.coreBanking.listCustomerAccounts(customerId)]);
      return { customer, accounts: await Promise.all(accounts.map((account) => summaryOf(account, recent))) };
    },
  );

  app.post(
    '/v1/accounts/:accountId/status',
    {
      schema: {
        operationId: 'changeAccountStatus',
        summary: 'Activate, freeze or close an account',
        description:
          'The same status again is a no-op (200). Closed is final: 409 ACCOUNT_CLOSED. ' +
          'An account closes only at a zero balance: 409 ACCOUNT_BALANCE_NOT_ZERO.' +
          WRITE_UNAVAILABLE,
        tags: ['accounts'],
        params: AccountParamsSchema,
        body: ref(ChangeAccountStatusRequestSchema),
        response: { 200: ref(AccountSchema), ...commonProblemResponses, 404: ProblemSchema, 409: ProblemSchema, 503: ProblemSchema },
      },
    },
    async (request) => app.coreBanking.changeAccountStatus(request.params.accountId, { ...request.body, changedBy: request.caller.name }),
  );

  app.get(
    '/v1/accounts/:accountId/balance',
    {
      schema: {
        operationId: 'getBalance',
        summary: "Get an account's balance",
        description: 'Ledger balance, and the available balance: the ledger balance while active, zero while frozen or closed.' + READ_UNAVAILABLE,
        tags: ['accounts'],
        params: AccountParamsSchema,
        response: { 200: ref(AccountBalanceSchema), ...commonProblemResponses, 404: ProblemSchema, 503: ProblemSchema },
      },
    },
    async (request) => app.coreBanking.getBalance(request.params.accountId),
  );
};
