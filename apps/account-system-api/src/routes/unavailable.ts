/**
 * What the routes say about their 503 answers (problem+json with Retry-After, declared by the
 * platform's OpenAPI shaping): every route when core banking or its database does not answer,
 * and the two refusals of writes on the mainframe backend, so callers can tell a wait from an outage.
 */
export const READ_UNAVAILABLE = ' 503 DOWNSTREAM_UNAVAILABLE or DATABASE_UNAVAILABLE (with Retry-After) when core banking does not answer.';

export const WRITE_UNAVAILABLE =
  ' 503 CORE_BANKING_BATCH_WINDOW while core banking is in its nightly batch window (Retry-After: the seconds until it ' +
  'closes; reads still answer); 503 DOWNSTREAM_UNAVAILABLE or DATABASE_UNAVAILABLE when it does not answer. ' +
  'Retry the same request after Retry-After.';

/** Keyed writes only: the adapter keeps the key of a write whose answer was lost. */
export const KEYED_WRITE_UNAVAILABLE =
  WRITE_UNAVAILABLE +
  ' 503 CORE_BANKING_WRITE_IN_DOUBT when an earlier request with this Idempotency-Key reached core banking and its ' +
  'answer was lost: it is not sent again until an operator settles it.';
