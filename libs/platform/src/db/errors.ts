/**
 * Coded errors of the database layer. They stop a service at start-up (a refused migration must
 * never be "fixed" by retrying), so they carry a stable `code` for logs and alerts.
 */
import createError from '@fastify/error';

export const InvalidMigration = createError<'MIGRATION_INVALID', [string]>('MIGRATION_INVALID', 'Invalid migration list: %s', 500);

export const DuplicateMigrationVersion = createError<'MIGRATION_DUPLICATE_VERSION', [number, string]>(
  'MIGRATION_DUPLICATE_VERSION',
  'Migration version %s is used more than once (%s)',
  500,
);

export const AppliedMigrationChanged = createError<'MIGRATION_CHECKSUM_MISMATCH', [string]>(
  'MIGRATION_CHECKSUM_MISMATCH',
  'Already applied migrations were changed afterwards: %s. Revert the edit and add a new migration instead',
  500,
);

export const MigrationFailed = createError<'MIGRATION_FAILED', [number, string, string, { cause: unknown }]>(
  'MIGRATION_FAILED',
  'Migration %s (%s) failed and was rolled back: %s',
  500,
);

export const EmbeddedPostgresFailed = createError<'EMBEDDED_POSTGRES_FAILED', [string, { cause?: unknown }?]>(
  'EMBEDDED_POSTGRES_FAILED',
  'Embedded PostgreSQL could not be started: %s',
  500,
);

/**
 * What a failed query means for the caller. Errors are classified where they leave the pool
 * (database.ts marks them) and read by the one error handler, so no repository has to map them:
 *  - `invalid-input`: SQLSTATE class 22 (data exception — a value PostgreSQL cannot read or
 *    store, e.g. 22P02 an id in a form the uuid type refuses, 22003 a number out of range). The
 *    request was wrong: a 400, never a 500.
 *  - `unavailable`: the server cannot be reached or is not taking work (connection refused or
 *    reset, class 08, 57P01–57P03 shutdown/starting, class 53 out of connections/resources, the
 *    pool's connect timeout). Retrying later may work: a 503, which callers' breakers count.
 */
export type DatabaseFailure = 'invalid-input' | 'unavailable';

/** The coded errors the error handler answers with; neither echoes the value nor the driver's message. */
export const DatabaseUnavailable = createError<'DATABASE_UNAVAILABLE', []>(
  'DATABASE_UNAVAILABLE',
  'The service cannot reach its database right now; retry shortly',
  503,
);

export const InvalidParameter = createError<'INVALID_PARAMETER', []>(
  'INVALID_PARAMETER',
  'A value in the request has a form or range this service cannot accept',
  400,
);

const FROM_DATABASE = Symbol.for('bartholomew.platform.fromDatabase');

/** Node socket errors that mean "no server there (any more)". */
const CONNECTION_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** pg and pg-pool raise these as plain Errors, with no code. */
const CONNECTION_ERROR_MESSAGES = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect/,
  /^Client has encountered a connection error and is not queryable/,
  /^Client was closed and is not queryable/,
  /^Cannot use a pool after calling end on the pool/,
];

const SQLSTATE = /^[0-9A-Z]{5}$/;

/** Marks an error as raised by the database layer, so the handler may read socket codes as "database down". */
export function markDatabaseError<T>(error: T): T {
  // Not `instanceof Error`: socket errors may come from another realm (Jest's vm contexts).
  if (typeof error === 'object' && error !== null && !(FROM_DATABASE in error) && Object.isExtensible(error)) {
    Object.defineProperty(error, FROM_DATABASE, {
      value: true,
      enumerable: false,
    });
  }
  return error;
}

type ErrorLike = {
  code?: unknown;
  severity?: unknown;
  message?: unknown;
  cause?: unknown;
};

function classifyOne(error: ErrorLike): DatabaseFailure | undefined {
  const code = typeof error.code === 'string' ? error.code : undefined;
  // A server-side error (pg's DatabaseError): it carries a SQLSTATE and a severity.
  if (code && SQLSTATE.test(code) && typeof error.severity === 'string') {
    if (code.startsWith('22')) return 'invalid-input';
    if (code.startsWith('08') || code.startsWith('53') || ['57P01', '57P02', '57P03'].includes(code)) return 'unavailable';
    return undefined;
  }
  if (!(FROM_DATABASE in error)) return undefined;
  if (code && CONNECTION_ERROR_CODES.has(code)) return 'unavailable';
  const message = typeof error.message === 'string' ? error.message : '';
  if (CONNECTION_ERROR_MESSAGES.some((pattern) => pattern.test(message))) return 'unavailable';
  return undefined;
}

/** Classifies an error (or what it wraps, via `cause`); undefined for anything else — a bug stays a 500. */
export function classifyDatabaseError(error: unknown): DatabaseFailure | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth += 1) {
    const failure = classifyOne(current as ErrorLike);
    if (failure) return failure;
    current = (current as ErrorLike).cause;
  }
  return undefined;
}
