/**
 * Named prepared statements for every parameterised query, without naming them by hand. pg sends
 * an unnamed statement as Parse + Bind + Execute each time, so PostgreSQL parses and plans the
 * same text on every call; a named one is parsed once per connection and, after a few runs, its
 * plan is reused. Measured before this (bench, quick profile): PostgreSQL spent as long parsing
 * (5.6 s) and binding (6.2 s) our statements as executing them (6.8 s).
 *
 * The name is derived from the text, so one text is one statement on every connection. Queries
 * without parameters (BEGIN, COMMIT, DDL) stay simple queries: one round trip, nothing to reuse.
 *
 * A prepared `SELECT *` fails with 0A000 "cached plan must not change result type" once a
 * migration (another replica's, during a rolling upgrade) changes the table. Then the text gets a
 * new name, so the next run prepares it afresh; outside a transaction the query is run again at
 * once, inside one the error is the transaction's (it is aborted anyway) and its retry succeeds.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';

/** Distinct texts named; past this, a text runs unnamed (dynamic SQL must not grow every backend's memory). */
export const MAX_NAMED_STATEMENTS = 1_000;

const names = new Map<string, string>();
/** Texts whose prepared plan went stale, and how many times: part of their next name. */
const generations = new Map<string, number>();

/** The statement name of a parameterised text; undefined when it is to run unnamed. */
export function statementNameOf(text: string): string | undefined {
  const known = names.get(text);
  if (known !== undefined) return known;
  if (names.size >= MAX_NAMED_STATEMENTS) return undefined;
  const generation = generations.get(text) ?? 0;
  const name = `bc_${createHash('sha256').update(text).digest('base64url').slice(0, 22)}${generation ? `_${generation}` : ''}`;
  names.set(text, name);
  return name;
}

function forgetStatement(text: string): void {
  names.delete(text);
  generations.set(text, (generations.get(text) ?? 0) + 1);
}

const isStalePlan = (error: unknown) =>
  (error as { code?: string } | null)?.code === '0A000' && /cached plan must not change result type/.test((error as Error).message);

const TRANSACTION_START = /^\s*(BEGIN|START\s+TRANSACTION)\b/i;
const TRANSACTION_END = /^\s*(COMMIT|ROLLBACK|END|ABORT)\b/i;

type Callback = (error: Error | null, result?: pg.QueryResult) => void;

/**
 * A pg Client (for `new pg.Pool({ Client: PreparedStatementsClient })`) that runs
 * `query(text, values)` as a named prepared statement. Everything else — query config objects
 * (which name their own statements or not), submittables, texts without values — is passed on.
 */
export class PreparedStatementsClient extends pg.Client {
  private inTransaction = false;

  // pg's query() is a set of overloads; this one override serves them all.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(config: any, values?: any, callback?: any): any {
    if (typeof config === 'string') {
      if (TRANSACTION_START.test(config)) this.inTransaction = true;
      else if (TRANSACTION_END.test(config)) this.inTransaction = false;
    }
    if (typeof config !== 'string' || !Array.isArray(values)) return super.query(config, values, callback);
    const text = config;
    const run = () => {
      const name = statementNameOf(text);
      return name === undefined ? super.query(text, values) : super.query({ name, text, values });
    };
    const retried = (run() as Promise<pg.QueryResult>).catch((error: unknown) => {
      if (!isStalePlan(error)) throw error;
      forgetStatement(text);
      if (this.inTransaction) throw error;
      return run() as Promise<pg.QueryResult>;
    });
    if (typeof callback !== 'function') return retried;
    retried.then(
      (result) => (callback as Callback)(null, result),
      (error: Error) => (callback as Callback)(error),
    );
    return undefined;
  }
}
