/**
 * Onboardings driven as the phone app drives them — the mobile Experience API only — and what
 * the suite counts about them: every answer (status, content type, time), which onboardings were
 * accepted, where each one ended, and what exists downstream for each one, counted in the System
 * APIs' own databases and at the SMTP server.
 */
import { randomInt, randomUUID } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { FaultStack } from './fault-stack';

/** Sandbox: this routing number verifies instantly (apps/onboarding-process-api/src/ach-verification/README.md). */
export const INSTANT_ROUTING = '011000015';
export const FINAL_STATUSES = ['completed', 'rejected', 'failed'];

export interface Answer<T = unknown> {
  status: number;
  contentType: string;
  headers: Headers | undefined;
  body: T;
  text: string;
  ms: number;
  /** Set when no HTTP answer came (connection refused/reset, timeout). */
  error?: string;
}

/** Everything a scenario's clients saw. */
export class Tally {
  readonly answers: Array<{
    status: number;
    ms: number;
    problem: boolean;
    error?: string;
    path: string;
  }> = [];
  record(path: string, answer: Answer): void {
    this.answers.push({
      status: answer.status,
      ms: answer.ms,
      problem: /^application\/problem\+json/.test(answer.contentType),
      error: answer.error,
      path,
    });
  }
  get requests(): number {
    return this.answers.length;
  }
  get serverErrors(): number {
    return this.answers.filter((answer) => answer.status >= 500).length;
  }
  /** 5xx other than a clean 503 problem+json. */
  get unclean5xx(): Array<{ status: number; path: string; problem: boolean }> {
    return this.answers.filter((answer) => answer.status >= 500 && !(answer.status === 503 && answer.problem));
  }
  get connectionErrors(): number {
    return this.answers.filter((answer) => answer.status === 0).length;
  }
  statuses(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const answer of this.answers) counts[answer.status || 'no answer'] = (counts[answer.status || 'no answer'] ?? 0) + 1;
    return counts;
  }
}

export function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function call<T = unknown>(
  url: string,
  method: string,
  options: {
    token?: string | null;
    body?: unknown;
    headers?: Record<string, string>;
    timeoutMs?: number;
    tally?: Tally;
  } = {},
): Promise<Answer<T>> {
  const started = performance.now();
  const path = new URL(url).pathname;
  let answer: Answer<T>;
  try {
    const res = await fetch(url, {
      method,
      headers: {
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body),
      signal: AbortSignal.timeout(options.timeoutMs ?? 30_000),
    });
    const text = await res.text();
    let body: unknown = undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    answer = {
      status: res.status,
      contentType: res.headers.get('content-type') ?? '',
      headers: res.headers,
      body: body as T,
      text,
      ms: performance.now() - started,
    };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    answer = {
      status: 0,
      contentType: '',
      headers: undefined,
      body: undefined as T,
      text: '',
      ms: performance.now() - started,
      error: cause?.code ?? (error as Error).name,
    };
  }
  options.tally?.record(`${method} ${path}`, answer);
  return answer;
}

const usedSsns = new Set<string>();
/** A fresh SSN (area 200–599, never a sandbox test value), unique within this run: one applicant, one customer. */
export function freshSsn(): string {
  for (;;) {
    const ssn = `${randomInt(200, 600)}-${String(randomInt(1, 100)).padStart(2, '0')}-${String(randomInt(1, 9999)).padStart(4, '0')}`;
    if (!usedSsns.has(ssn)) {
      usedSsns.add(ssn);
      return ssn;
    }
  }
}

export function signUpForm(options: { email: string; ssn?: string; accountNumber?: string; depositCents?: number; firstName?: string }) {
  return {
    firstName: options.firstName ?? 'Ada',
    lastName: 'Lovelace',
    dateOfBirth: '1990-04-01',
    ssn: options.ssn ?? freshSsn(),
    email: options.email,
    phone: '+12125550123',
    address: {
      street: '1 Main St',
      city: 'New York',
      state: 'NY',
      zip: '10001',
    },
    account: 'checking',
    plan: 'basic-checking',
    // Ends in 7: none of the sandbox's failure or outage endings.
    bank: {
      routingNumber: INSTANT_ROUTING,
      accountNumber: options.accountNumber ?? `7${randomInt(1e8, 1e9)}7`,
      type: 'checking',
    },
    initialDepositCents: options.depositCents ?? 2500,
  };
}

export interface Applicant {
  sub: string;
  token: string;
  email: string;
  key: string;
  form: ReturnType<typeof signUpForm>;
  /** The onboarding id once the mobile API answered 202. */
  id?: string;
}

export async function newApplicant(stack: FaultStack, label: string): Promise<Applicant> {
  const sub = `${label}-${randomUUID()}`;
  const email = `${sub}@example.com`;
  return {
    sub,
    token: await stack.issuer.token(sub),
    email,
    key: randomUUID(),
    form: signUpForm({ email }),
  };
}

/**
 * POSTs the sign-up form, and — as the app does on a 503, a 409 "in progress", a 429 or no answer —
 * retries with the SAME idempotency key until it is accepted (202) or `deadline` passes.
 */
export async function submit(stack: FaultStack, applicant: Applicant, tally: Tally, deadline = Date.now() + 120_000): Promise<Applicant> {
  for (;;) {
    const answer = await call<{ id: string }>(`${stack.mobileUrl}/v1/onboardings`, 'POST', {
      token: applicant.token,
      body: applicant.form,
      headers: { 'idempotency-key': applicant.key },
      tally,
    });
    if (answer.status === 202) {
      if (applicant.id && applicant.id !== answer.body.id)
        throw new Error(`the same idempotency key answered two onboardings: ${applicant.id} and ${answer.body.id}`);
      applicant.id = answer.body.id;
      return applicant;
    }
    const retryable = answer.status === 0 || answer.status === 409 || answer.status === 429 || answer.status >= 500;
    if (!retryable || Date.now() > deadline) {
      throw new Error(`onboarding of ${applicant.sub} not accepted: ${answer.status} ${answer.error ?? answer.text.slice(0, 300)}`);
    }
    await delay(200 + randomInt(0, 200));
  }
}

/** The mobile API's final "what next" screens: nothing more will happen to the application. */
const FINAL_SCREENS = ['welcome', 'rejected', 'failed'];
const MAX_FOLLOW_PAUSE_MS = 2_000;

export interface Followed {
  /** The last screen seen ("next"), or undefined when none was answered. */
  last: string | undefined;
  /** Every answer: status (0: none) and milliseconds. */
  answers: Array<{ status: number; ms: number }>;
}

/**
 * Follows one onboarding as the app does with long polls: `Prefer: wait=<waitSeconds>` and the
 * last ETag as `If-None-Match`, one request in flight, until a final screen or `deadline`. After a
 * refusal or no answer it pauses as Retry-After says (at most 2 s, so the suite moves on), or 200 ms.
 */
export async function followWithLongPolls(
  stack: FaultStack,
  onboardingId: string,
  token: string,
  tally: Tally,
  options: { waitSeconds: number; deadline: number },
): Promise<Followed> {
  const followed: Followed = { last: undefined, answers: [] };
  let etag: string | undefined;
  while (Date.now() < options.deadline && !FINAL_SCREENS.includes(followed.last ?? '')) {
    const answer = await call<{ next?: string }>(`${stack.mobileUrl}/v2/onboardings/${onboardingId}`, 'GET', {
      token,
      headers: etag ? { 'if-none-match': etag, prefer: `wait=${options.waitSeconds}` } : {},
      tally,
    });
    followed.answers.push({ status: answer.status, ms: answer.ms });
    if (answer.status === 200) {
      followed.last = answer.body.next;
      etag = answer.headers?.get('etag') ?? undefined;
    } else if (answer.status !== 304) {
      const retryAfterS = Number(answer.headers?.get('retry-after') ?? Number.NaN);
      await delay(Number.isFinite(retryAfterS) ? Math.min(retryAfterS * 1000, MAX_FOLLOW_PAUSE_MS) : 200);
    }
  }
  return followed;
}

/** Submits `count` applicants, at most `concurrency` at a time. */
export async function submitMany(stack: FaultStack, label: string, count: number, tally: Tally, concurrency = 8): Promise<Applicant[]> {
  const applicants = await Promise.all(Array.from({ length: count }, (_, i) => newApplicant(stack, `${label}-${i}`)));
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < applicants.length) await submit(stack, applicants[next++], tally);
    }),
  );
  return applicants;
}

/** Where each onboarding stands, from the Process API's database. */
export async function statuses(stack: FaultStack, ids: string[]): Promise<Map<string, { status: string; updatedAt: Date }>> {
  const { rows } = await stack.db['onboarding-process-api'].query<{
    onboarding_id: string;
    status: string;
    updated_at: Date;
  }>('SELECT onboarding_id, status, updated_at FROM onboardings WHERE onboarding_id = ANY($1::uuid[])', [ids]);
  return new Map(rows.map((row) => [row.onboarding_id, { status: row.status, updatedAt: row.updated_at }]));
}

/** Waits until every onboarding is in a final state or `timeoutMs` passes; returns the ones that are not ("lost"). */
export async function waitUntilFinal(
  stack: FaultStack,
  ids: string[],
  timeoutMs: number,
): Promise<{ lost: string[]; byStatus: Record<string, number> }> {
  const deadline = Date.now() + timeoutMs;
  let current = await statuses(stack, ids);
  const unfinished = () => ids.filter((id) => !FINAL_STATUSES.includes(current.get(id)?.status ?? ''));
  while (unfinished().length > 0 && Date.now() < deadline) {
    await delay(250);
    current = await statuses(stack, ids);
  }
  const byStatus: Record<string, number> = {};
  for (const id of ids) {
    const status = current.get(id)?.status ?? 'missing';
    byStatus[status] = (byStatus[status] ?? 0) + 1;
  }
  return { lost: unfinished(), byStatus };
}

export interface Effects {
  customers: number;
  accounts: number;
  billingAccounts: number;
  paymentMethods: number;
  deposits: number;
  /** Distinct welcome emails (by Message-ID): what the customer's mailbox shows. */
  emails: number;
  /**
   * Deliveries of an email the SMTP server already had, with the same Message-ID: SMTP is
   * at-least-once (a crash between the server's 250 and our commit resends), so these are
   * reported, not counted as duplicates — a second message with its own Message-ID would be.
   */
  emailRedeliveries: number;
}

/** What exists downstream for one applicant (keyed by their unique email), counted at the source. */
export async function effectsFor(stack: FaultStack, email: string): Promise<Effects> {
  const account = stack.db['account-system-api'];
  const billing = stack.db['billing-system-api'];
  const customers = (await account.query<{ id: string }>('SELECT id FROM customers WHERE email = $1', [email])).rows.map((row) => row.id);
  const accounts = (await account.query<{ id: string }>('SELECT id FROM accounts WHERE customer_id = ANY($1::uuid[])', [customers])).rows.map(
    (row) => row.id,
  );
  const deposits = Number(
    (
      await account.query<{ count: string }>(
        "SELECT count(*) FROM account_transactions WHERE account_id = ANY($1::uuid[]) AND direction = 'credit'",
        [accounts],
      )
    ).rows[0].count,
  );
  const billingAccounts = (
    await billing.query<{ id: string }>('SELECT id FROM billing_accounts WHERE customer_id = ANY($1::uuid[])', [customers])
  ).rows.map((row) => row.id);
  const paymentMethods = Number(
    (await billing.query<{ count: string }>('SELECT count(*) FROM payment_methods WHERE billing_account_id = ANY($1::uuid[])', [billingAccounts]))
      .rows[0].count,
  );
  const delivered = stack.smtp.messages.filter((mail) => mail.to.includes(email));
  const emails = new Set(delivered.map((mail, index) => mail.messageId ?? `no Message-ID #${index}`)).size;
  return {
    customers: customers.length,
    accounts: accounts.length,
    billingAccounts: billingAccounts.length,
    paymentMethods,
    deposits,
    emails,
    emailRedeliveries: delivered.length - emails,
  };
}

/**
 * Duplicates over a set of applicants: an applicant counts once if anything (customer, account,
 * billing account, payment method, deposit, email) exists more than once for them. Waits for the
 * welcome emails of completed onboardings first (the relay runs after the step), then a little
 * longer so a duplicate has the chance to arrive.
 */
export async function countDuplicates(stack: FaultStack, applicants: Applicant[], options: { emailWaitMs?: number } = {}) {
  const deadline = Date.now() + (options.emailWaitMs ?? 30_000);
  const mailed = (applicant: Applicant) => stack.smtp.messages.some((mail) => mail.to.includes(applicant.email));
  const completed = new Set(
    [
      ...(
        await statuses(
          stack,
          applicants.flatMap((applicant) => (applicant.id ? [applicant.id] : [])),
        )
      ).entries(),
    ]
      .filter(([, entry]) => entry.status === 'completed')
      .map(([id]) => id),
  );
  while (Date.now() < deadline && applicants.some((applicant) => applicant.id && completed.has(applicant.id) && !mailed(applicant))) await delay(100);
  await delay(1_000);
  const duplicated: Array<{ sub: string; effects: Effects }> = [];
  const missing: Array<{ sub: string; effects: Effects }> = [];
  let emailRedeliveries = 0;
  for (const applicant of applicants) {
    const { emailRedeliveries: redelivered, ...effects } = await effectsFor(stack, applicant.email);
    emailRedeliveries += redelivered;
    if (Object.values(effects).some((count) => count > 1))
      duplicated.push({ sub: applicant.sub, effects: { ...effects, emailRedeliveries: redelivered } });
    if (applicant.id && completed.has(applicant.id) && Object.values(effects).some((count) => count === 0))
      missing.push({ sub: applicant.sub, effects: { ...effects, emailRedeliveries: redelivered } });
  }
  return { duplicated, missing, emailRedeliveries };
}
