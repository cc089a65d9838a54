/** `@bartholomew/platform/db`: PostgreSQL access for services — pool + transactions, embedded server by default, migrations. */
export { openDatabase } from './database';
export type { Database, OpenDatabaseOptions } from './database';
export { MAX_NAMED_STATEMENTS, PreparedStatementsClient } from './prepared-statements';
export { startEmbeddedPostgres } from './embedded-postgres';
export type { EmbeddedPostgresOptions, EmbeddedPostgresServer } from './embedded-postgres';
// The bare launcher (embedded-postgres-launcher.cjs, shared with the test server and `npm start`) is the
// subpath `@bartholomew/platform/embedded-postgres-launcher`: plain JavaScript with its own .d.cts, which
// the emitted declarations of this entry point could not carry.
export { runMigrations } from './migrations';
export type { Migration, MigrationRun } from './migrations';
export type { DbLogFn, DbLogger } from './logger';
export {
  AppliedMigrationChanged,
  classifyDatabaseError,
  DatabaseUnavailable,
  DuplicateMigrationVersion,
  InvalidParameter,
  EmbeddedPostgresFailed,
  InvalidMigration,
  MigrationFailed,
} from './errors';
export type { DatabaseFailure } from './errors';
