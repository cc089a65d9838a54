/**
 * Versioned SQL migrations, applied at start-up by every replica of a service.
 *
 * Migrations are TS modules exporting SQL text, because the services are bundled by esbuild and
 * a bundle carries no .sql assets. The same SQL runs on the embedded server and on real servers.
 *
 * Rules: versions are unique positive integers (a timestamp such as 20251125083000 works);
 * pending ones are applied in version order, each in its own transaction together with its
 * `schema_migrations` row, so a failure leaves the database at the last good version. A session
 * advisory lock serialises replicas that start together: the second waits, then finds nothing to
 * do. An applied migration must never change (its SHA-256 is recorded): the run is refused.
 * Statements that cannot run in a transaction (CREATE INDEX CONCURRENTLY) are not supported.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { Database } from './database';
import { AppliedMigrationChanged, DuplicateMigrationVersion, InvalidMigration, MigrationFailed } from './errors';
import type { DbLogger } from './logger';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export interface MigrationRun {
  /** What this call applied, in order; empty when the database was already up to date. */
  applied: Array<{ version: number; name: string }>;
}

// Arbitrary constant shared by every service. Advisory locks are per database, so services that
// share one embedded server (a database each) do not wait for each other.
const MIGRATION_LOCK_KEY = 727_465_001;

const CREATE_TABLE = `
  CREATE TABLE IF NOT EXISTS schema_migrations (
    version    bigint      PRIMARY KEY,
    name       text        NOT NULL,
    checksum   text        NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`;

/** Applies the pending `migrations` to `db` under the migration lock; see the module comment. */
export async function runMigrations(db: Database, migrations: readonly Migration[], log: DbLogger): Promise<MigrationRun> {
  const ordered = validate(migrations);
  const client = await db.pool.connect();
  const onError = (err: Error) => log.warn({ err }, 'the migration connection failed');
  client.on('error', onError);
  let failure: Error | undefined;
  try {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [MIGRATION_LOCK_KEY]);
    if (!rows[0]?.locked) {
      log.info({}, 'waiting for another instance to finish migrating');
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    }
    // Everything below, CREATE TABLE included, runs under the lock: IF NOT EXISTS alone still races.
    const result = await applyPending(client, ordered, log);
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    return result;
  } catch (err) {
    failure = err instanceof Error ? err : new Error(String(err));
    throw err;
  } finally {
    client.off('error', onError);
    // On failure the connection is destroyed, which also drops the session lock whatever state
    // it was left in.
    client.release(failure);
  }
}

async function applyPending(client: pg.PoolClient, ordered: Migration[], log: DbLogger): Promise<MigrationRun> {
  await client.query(CREATE_TABLE);
  const { rows } = await client.query<{
    version: string;
    name: string;
    checksum: string;
  }>('SELECT version, name, checksum FROM schema_migrations ORDER BY version');
  const applied = new Map(rows.map((row) => [Number(row.version), row]));

  const changed = ordered.filter((m) => {
    const row = applied.get(m.version);
    return row !== undefined && row.checksum !== checksum(m.sql);
  });
  if (changed.length > 0) {
    throw new AppliedMigrationChanged(changed.map((m) => `${m.version} (${m.name})`).join(', '));
  }

  const known = new Set(ordered.map((m) => m.version));
  const unknown = rows.filter((row) => !known.has(Number(row.version)));
  if (unknown.length > 0) {
    // Normal during a rolling deploy: a newer replica already applied what this one does not know.
    log.warn({ versions: unknown.map((row) => Number(row.version)) }, 'the database has migrations this build does not know');
  }

  const pending = ordered.filter((m) => !applied.has(m.version));
  const done: MigrationRun['applied'] = [];
  for (const migration of pending) {
    const started = Date.now();
    try {
      await client.query('BEGIN');
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        checksum(migration.sql),
      ]);
      await client.query('COMMIT');
    } catch (cause) {
      await client.query('ROLLBACK').catch(() => undefined);
      const reason = cause instanceof Error ? cause.message : String(cause);
      throw new MigrationFailed(migration.version, migration.name, reason, {
        cause,
      });
    }
    log.info(
      {
        version: migration.version,
        name: migration.name,
        ms: Date.now() - started,
      },
      'applied migration',
    );
    done.push({ version: migration.version, name: migration.name });
  }
  if (done.length === 0) log.debug({ version: ordered.at(-1)?.version ?? 0 }, 'database schema is up to date');
  return { applied: done };
}

/** Refuses a list that could apply differently from run to run; returns it in version order. */
function validate(migrations: readonly Migration[]): Migration[] {
  const seen = new Map<number, string>();
  for (const m of migrations) {
    if (!Number.isSafeInteger(m.version) || m.version <= 0) {
      throw new InvalidMigration(`version ${String(m.version)} of "${m.name}" is not a positive integer`);
    }
    if (!m.name || typeof m.sql !== 'string' || m.sql.trim() === '') {
      throw new InvalidMigration(`migration ${m.version} needs a name and SQL text`);
    }
    const other = seen.get(m.version);
    if (other !== undefined) throw new DuplicateMigrationVersion(m.version, `${other}, ${m.name}`);
    seen.set(m.version, m.name);
  }
  return [...migrations].sort((a, b) => a.version - b.version);
}

/** Line endings are normalised so a Windows checkout does not look like an edit. */
function checksum(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}
