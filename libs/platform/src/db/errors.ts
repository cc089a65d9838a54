/**
 * Coded errors of the database layer. They stop a service at start-up (a refused migration must
 * never be "fixed" by retrying), so they carry a stable `code` for logs and alerts.
 */
import createError from '@fastify/error';

export const InvalidMigration = createError<'MIGRATION_INVALID', [string]>(
  'MIGRATION_INVALID',
  'Invalid migration list: %s',
  500,
);

export const DuplicateMigrationVersion = createError<
  'MIGRATION_DUPLICATE_VERSION',
  [number, string]
>(
  'MIGRATION_DUPLICATE_VERSION',
  'Migration version %s is used more than once (%s)',
  500,
);

export const AppliedMigrationChanged = createError<
  'MIGRATION_CHECKSUM_MISMATCH',
  [string]
>(
  'MIGRATION_CHECKSUM_MISMATCH',
  'Already applied migrations were changed afterwards: %s. Revert the edit and add a new migration instead',
  500,
);

export const MigrationFailed = createError<
  'MIGRATION_FAILED',
  [number, string, string, { cause: unknown }]
>('MIGRATION_FAILED', 'Migration %s (%s) failed and was rolled back: %s', 500);

export const EmbeddedPostgresFailed = createError<
  'EMBEDDED_POSTGRES_FAILED',
  [string, { cause?: unknown }?]
>(
  'EMBEDDED_POSTGRES_FAILED',
  'Embedded PostgreSQL could not be started: %s',
  500,
);
