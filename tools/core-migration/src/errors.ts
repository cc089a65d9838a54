import createError from '@fastify/error';

/**
 * Why a migration stops before it is done. Messages name tables, ids and columns — never a value,
 * so no SSN or account number reaches the terminal or a log.
 */

/** A row of the core files this tool cannot express in the ledger (an unknown code, a missing balance). */
export const UntranslatableRecord = createError<'CORE_MIGRATION_UNTRANSLATABLE_RECORD', [string, string, string]>(
  'CORE_MIGRATION_UNTRANSLATABLE_RECORD',
  'core file %s, key %s: %s',
);

/** The ledger already holds this id with other data: the migration never overwrites. */
export const LedgerHoldsOtherData = createError<'CORE_MIGRATION_LEDGER_HOLDS_OTHER_DATA', [string, string, string]>(
  'CORE_MIGRATION_LEDGER_HOLDS_OTHER_DATA',
  'ledger table %s already holds %s with other values in: %s; nothing was overwritten',
);

/** Keyed writes the mainframe adapter left in doubt or in progress: moving now could lose or repeat them. */
export const WritesInDoubt = createError<'CORE_MIGRATION_WRITES_IN_DOUBT', [string]>(
  'CORE_MIGRATION_WRITES_IN_DOUBT',
  '%s keyed write(s) to the mainframe are not settled (mainframe_idempotency_keys not done): settle them before moving the core',
);
