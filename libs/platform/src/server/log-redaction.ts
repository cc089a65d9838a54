/**
 * Keeps secrets and personal data out of logs. pino's `redact` covers the fixed header paths;
 * `scrubLogObject` walks everything else — including fields inside error objects, such as a
 * Postgres unique-violation `detail` that carries the raw conflicting value.
 */

export const REDACTED = '[REDACTED]';

/** Keys whose values never reach a log, at any depth (compared case-insensitively). */
const SENSITIVE_KEYS = new Set(
  [
    'ssn',
    'taxid',
    'tax_id',
    'accountnumber',
    'account_number',
    'bankaccountnumber',
    'password',
    'secret',
    'token',
    'accesstoken',
    'refreshtoken',
    'authorization',
    'cookie',
    'set-cookie',
    'x-service-credential',
    'idempotency-key',
    'credential',
    'apikey',
    'api_key',
    'piiencryptionkey',
    'pii_encryption_key',
    // Postgres error fields that echo row values or SQL parameters.
    'detail',
    'where',
    'parameters',
  ].map((key) => key.toLowerCase()),
);

/** Runs of 9+ digits (SSNs, bank account numbers) and dashed SSNs inside free text. */
const DIGIT_RUN = /\b\d{3}-\d{2}-\d{4}\b|\b\d{9,17}\b/g;

/** Fields pino and Fastify own; scrubbing them would only mangle ids. */
const TRUSTED_KEYS = new Set(['reqId', 'requestId', 'time', 'pid', 'hostname', 'level']);

/**
 * Objects pino serializes after this formatter runs: `req`/`res` become method, url and status
 * (ids only in our URLs, never PII), and `err` goes through a serializer that scrubs it itself.
 */
const SERIALIZED_KEYS = new Set(['req', 'res', 'err', 'error']);

/** pino `redact` paths: headers on the request/response serializers. */
export const redactPaths = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-service-credential"]',
  'req.headers["idempotency-key"]',
  'res.headers["set-cookie"]',
];

function scrubString(value: string): string {
  return value.replace(DIGIT_RUN, (digits) => `[REDACTED:${digits.length}]`);
}

function scrub(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return scrubString(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth > 8 || seen.has(value)) return '[Truncated]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => scrub(item, depth + 1, seen));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) {
    if (SENSITIVE_KEYS.has(key.toLowerCase())) out[key] = REDACTED;
    else if (depth === 0 && (TRUSTED_KEYS.has(key) || SERIALIZED_KEYS.has(key))) out[key] = inner;
    else out[key] = scrub(inner, depth + 1, seen);
  }
  return out;
}

/** pino `formatters.log`: returns a scrubbed copy of the object about to be logged. */
export function scrubLogObject(object: Record<string, unknown>): Record<string, unknown> {
  return scrub(object, 0, new WeakSet()) as Record<string, unknown>;
}

/** Used for the log message string itself (pino `hooks.logMethod`). */
export { scrubString as scrubLogText };
