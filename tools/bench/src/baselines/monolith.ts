/**
 * Baseline 2, point to point: one Fastify process serving the mobile home screen and account
 * detail straight from copies of the three services' databases — the SAME SQL statements the
 * layered path causes, in the same order and with the same parallelism, but no internal HTTP,
 * no service credentials, no contract validation between layers. It keeps what any service
 * answering the phone needs: end-user JWT verification (jose, same keys) and one pino access line
 * per request at info.
 *
 * GET /v1/home — 9 statements for a customer with one account and one billing account:
 *   Process DB: the user's customers, from their completed onboardings (1).
 *   Account DB: customer (1); customer again + accounts (2); per account balance (1), account check + last 5 transactions (2).
 *   Billing DB: billing accounts (1), then the payment methods of all of them (1).
 *   Fee plans are read once every five minutes, as the Process API's fee-plan cache does.
 * GET /v1/accounts/:accountId — the same 9, then ownership (1), account (1), account check + a page of transactions (2).
 */
import Fastify, { type FastifyRequest } from 'fastify';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet } from 'jose';
import pg from 'pg';
import { PreparedStatementsClient } from '@bartholomew/platform/db';

// REVIEW: a bench process, not a service: it reads its few settings directly rather than through a config schema.
const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};

const pool = (url: string) => {
  // Ten connections each, and named prepared statements, as the services' pools (libs/platform openDatabase).
  const created = new pg.Pool({
    connectionString: url,
    Client: PreparedStatementsClient,
    max: 10,
    application_name: 'bench-monolith',
  });
  created.on('error', () => undefined);
  return created;
};
const db = {
  process: pool(env('PROCESS_DATABASE_URL')),
  account: pool(env('ACCOUNT_DATABASE_URL')),
  billing: pool(env('BILLING_DATABASE_URL')),
};
const keys = createLocalJWKSet(JSON.parse(env('JWT_PUBLIC_KEYS')) as JSONWebKeySet);
const issuer = env('JWT_ISSUER');
const audience = env('JWT_AUDIENCE');

// The services' own column lists (onboarding-repository.ts, postgres-core-banking.ts, billing-repository.ts).
const SELECT_ONBOARDING = `SELECT *, date_of_birth::text AS date_of_birth FROM onboardings`;
const CUSTOMER_COLUMNS = `id, legal_name, date_of_birth::text AS date_of_birth, tax_id_last4, email, phone,
  address_line1, address_line2, city, state, postal_code, created_at`;
const ACCOUNT_COLUMNS = `id, customer_id, account_number_last4, product_type, currency, status,
  ledger_balance_minor::text AS ledger_balance_minor, opened_at, status_changed_at`;
const TRANSACTION_COLUMNS = `id, sequence::text AS sequence, account_id, direction, amount_minor::text AS amount_minor,
  currency, description, reference, balance_after_minor::text AS balance_after_minor, posted_at`;
const FEE_PLAN_COLUMNS = 'plan_code, name, description, monthly_fee_minor, currency';
const BILLING_ACCOUNT_COLUMNS = 'id, customer_id, account_id, plan_code, status, opened_at, updated_at, closed_at';
const PAYMENT_METHOD_COLUMNS =
  'id, billing_account_id, routing_number, account_number_last_four, account_type, holder_name, status, verification_reason, verification_recorded_at, created_at';

interface AccountRow {
  id: string;
  customer_id: string;
  account_number_last4: string;
  product_type: string;
  currency: string;
  status: string;
  ledger_balance_minor: string;
}
interface TransactionRow {
  id: string;
  direction: string;
  amount_minor: string;
  description: string;
  posted_at: Date;
}

async function listOnboardings(owner: string, limit: number) {
  const { rows } = await db.process.query<{
    onboarding_id: string;
    customer_id: string | null;
  }>(
    `${SELECT_ONBOARDING}
     WHERE owner_subject = $1
       AND ($2::text IS NULL OR status = $2)
       AND ($3::timestamptz IS NULL OR (created_at, onboarding_id) < ($3, $4::uuid))
     ORDER BY created_at DESC, onboarding_id DESC
     LIMIT $5`,
    [owner, 'completed', null, null, limit + 1],
  );
  const page = rows.slice(0, limit);
  await Promise.all(
    page.map((row) => db.process.query('SELECT * FROM onboarding_steps WHERE onboarding_id = $1 ORDER BY position', [row.onboarding_id])),
  );
  return page;
}

async function ownsCustomer(owner: string, customerId: string): Promise<boolean> {
  const { rows } = await db.process.query<{ owner_subject: string }>('SELECT DISTINCT owner_subject FROM onboardings WHERE customer_id = $1', [
    customerId,
  ]);
  return rows.some((row) => row.owner_subject === owner);
}

const getCustomer = async (customerId: string) =>
  (await db.account.query<{ legal_name: string }>(`SELECT ${CUSTOMER_COLUMNS} FROM customers WHERE id = $1`, [customerId])).rows[0];

async function listTransactions(accountId: string, limit: number): Promise<TransactionRow[]> {
  const exists = await db.account.query('SELECT 1 FROM accounts WHERE id = $1', [accountId]);
  if (exists.rowCount === 0) return [];
  const { rows } = await db.account.query<TransactionRow>(
    `SELECT ${TRANSACTION_COLUMNS} FROM account_transactions
      WHERE account_id = $1 AND ($2::bigint IS NULL OR sequence < $2::bigint)
        AND ($4::timestamptz IS NULL OR posted_at >= $4::timestamptz)
        AND ($5::timestamptz IS NULL OR posted_at < $5::timestamptz)
      ORDER BY account_transactions.sequence DESC
      LIMIT $3`,
    [accountId, null, limit + 1, null, null],
  );
  return rows.slice(0, limit);
}

async function accountsOf(customerId: string) {
  await getCustomer(customerId);
  const { rows } = await db.account.query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE customer_id = $1 ORDER BY opened_at, id`, [
    customerId,
  ]);
  return Promise.all(
    rows.map(async (account) => {
      const [balance] = await Promise.all([
        db.account
          .query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS}, now() AS as_of FROM accounts WHERE id = $1`, [account.id])
          .then((result) => result.rows[0]),
        listTransactions(account.id, 5),
      ]);
      return balance;
    }),
  );
}

/** Billing's plan catalogue, read at most every five minutes (FEE_PLANS_FRESH_FOR_MS in the Process API). */
let feePlans: { plans: Promise<Map<string, unknown>>; readAt: number } | undefined;
function feePlan(planCode: string) {
  if (!feePlans || Date.now() - feePlans.readAt > 5 * 60_000) {
    const plans = db.billing
      .query<{ plan_code: string }>(`SELECT ${FEE_PLAN_COLUMNS} FROM fee_plans ORDER BY monthly_fee_minor, plan_code`)
      .then(({ rows }) => new Map(rows.map((row) => [row.plan_code, row])));
    feePlans = { plans, readAt: Date.now() };
  }
  return feePlans.plans.then((plans) => plans.get(planCode));
}

async function billingOf(customerId: string) {
  const { rows } = await db.billing.query<{ id: string; plan_code: string }>(
    `SELECT ${BILLING_ACCOUNT_COLUMNS} FROM billing_accounts WHERE customer_id = $1 ORDER BY opened_at, id`,
    [customerId],
  );
  if (rows.length === 0) return [];
  const methods = await db.billing.query<{ billing_account_id: string }>(
    `SELECT ${PAYMENT_METHOD_COLUMNS} FROM payment_methods WHERE billing_account_id = ANY($1::uuid[]) ORDER BY billing_account_id, created_at, id`,
    [rows.map((row) => row.id)],
  );
  return Promise.all(
    rows.map(async (billingAccount) => ({
      plan: await feePlan(billingAccount.plan_code),
      paymentMethods: methods.rows.filter((method) => method.billing_account_id === billingAccount.id),
    })),
  );
}

/** The user's customers, newest first, as the Process API finds them (its listCustomersOfOwner). */
async function customersOf(owner: string, limit: number) {
  const { rows } = await db.process.query<{ customer_id: string }>(
    `SELECT customer_id, min(created_at) AS since
       FROM onboardings
      WHERE owner_subject = $1 AND status = 'completed' AND customer_id IS NOT NULL
      GROUP BY customer_id
     HAVING $2::timestamptz IS NULL OR (min(created_at), customer_id) < ($2, $3::uuid)
      ORDER BY since DESC, customer_id DESC
      LIMIT $4`,
    [owner, null, null, limit + 1],
  );
  return rows.slice(0, limit).map((row) => row.customer_id);
}

/** The customer overviews of the user's completed onboardings, as the Process API composes them. */
async function overviewsOf(owner: string) {
  const customerIds = await customersOf(owner, 10);
  return Promise.all(
    customerIds.map(async (customerId) => {
      const [customer, accounts] = await Promise.all([getCustomer(customerId), accountsOf(customerId), billingOf(customerId)]);
      return { customerId, legalName: customer.legal_name, accounts };
    }),
  );
}

const accountView = (row: AccountRow) => ({
  id: row.id,
  name: row.product_type === 'checking' ? 'Checking' : 'Savings',
  number: `•••${row.account_number_last4}`,
  balance: Number(row.ledger_balance_minor),
  available: row.status === 'active' ? Number(row.ledger_balance_minor) : 0,
  currency: row.currency,
});

const app = Fastify({ logger: { level: 'info' } });

declare module 'fastify' {
  interface FastifyRequest {
    subject: string;
  }
}
app.decorateRequest('subject', '');
app.addHook('onRequest', async (request: FastifyRequest, reply) => {
  if (!request.url.startsWith('/v1/')) return;
  const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
  try {
    if (!token) throw new Error('no bearer token');
    const { payload } = await jwtVerify(token, keys, {
      issuer,
      audience,
      algorithms: ['ES256'],
    });
    request.subject = String(payload.sub);
  } catch {
    return reply.code(401).send({ status: 401, title: 'Unauthorized' });
  }
});

app.get('/v1/home', async (request) => {
  const overviews = await overviewsOf(request.subject);
  const accounts = overviews.flatMap((overview) => overview.accounts);
  if (accounts.length === 0) {
    const [latest] = await listOnboardings(request.subject, 1);
    return {
      accounts: [],
      ...(latest ? { onboarding: { id: latest.onboarding_id } } : {}),
    };
  }
  return {
    firstName: overviews[0].legalName.trim().split(/\s+/)[0],
    accounts: accounts.map(accountView),
  };
});

app.get<{ Params: { accountId: string } }>('/v1/accounts/:accountId', async (request, reply) => {
  const overviews = await overviewsOf(request.subject);
  const found = overviews
    .flatMap((overview) =>
      overview.accounts.map((account) => ({
        account,
        customerId: overview.customerId,
      })),
    )
    .find((candidate) => candidate.account.id === request.params.accountId);
  if (!found || !(await ownsCustomer(request.subject, found.customerId))) return reply.code(404).send({ status: 404, title: 'Not Found' });
  const { rows } = await db.account.query<AccountRow>(`SELECT ${ACCOUNT_COLUMNS} FROM accounts WHERE id = $1`, [found.account.id]);
  const transactions = await listTransactions(found.account.id, 10);
  return {
    ...accountView(rows[0]),
    status: rows[0].status,
    transactions: transactions.map((transaction) => ({
      id: transaction.id,
      amount: transaction.direction === 'credit' ? Number(transaction.amount_minor) : -Number(transaction.amount_minor),
      label: transaction.description,
      postedAt: transaction.posted_at.toISOString(),
    })),
    nextCursor: null,
  };
});

app.get('/health/ready', { logLevel: 'warn' }, async () => {
  await Promise.all(Object.values(db).map((each) => each.query('SELECT 1')));
  return { status: 'ok' };
});

app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) }).catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(
    signal,
    () =>
      void app
        .close()
        .then(() => Promise.all(Object.values(db).map((each) => each.end())))
        .then(() => process.exit(0)),
  );
}
