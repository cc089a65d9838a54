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

/**
 * The shapes of secrets inside free text (messages, error messages and stacks, URLs). Precise on
 * purpose: ids (UUIDs, hex ids), request ids, dates and amounts must stay searchable. Digit rules
 * leave a run alone when a hex digit or a dash touches it: then it is a group of a UUID or a hex id.
 */
const SECRET_SHAPES: Array<[RegExp, (match: string) => string]> = [
  // JWTs (and JWEs): base64url JSON header `eyJ…` followed by dot-separated segments.
  [/\beyJ[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*)+/g, () => '[REDACTED:jwt]'],
  // Whatever follows an authorization scheme, in case a header value lands in a message.
  [/\b(Bearer|Basic|ServiceCredential)\s+[^\s"',;]+/gi, (match) => `${match.split(/\s/)[0]} ${REDACTED}`],
  // Service credentials `caller-name.secret`: a kebab-case name, a dot, then 16+ characters with
  // at least one digit (generated secrets have them; hostnames like `a-b.c-d-internal` do not).
  [/\b[a-z][a-z0-9]*(?:-[a-z0-9]+)+\.(?=[^\s"',:;.]*\d)[^\s"',:;.]{16,}/g, (match) => `${match.slice(0, match.indexOf('.'))}.${REDACTED}`],
  // Dashed SSNs.
  [/(?<![0-9A-Za-z-])\d{3}-\d{2}-\d{4}(?![0-9A-Za-z-])/g, () => '[REDACTED:ssn]'],
  // Undashed SSNs and bank account numbers: 9–17 digits standing alone.
  [/(?<![0-9A-Fa-f-])\d{9,17}(?![0-9A-Fa-f-])/g, (digits) => `[REDACTED:${digits.length}]`],
];

/** Fields pino and Fastify own; scrubbing them would only mangle ids. */
const TRUSTED_KEYS = new Set(['reqId', 'requestId', 'time', 'pid', 'hostname', 'level']);

/**
 * Objects pino serializes after this formatter runs: `req`/`res` become method, url and status
 * (the URL is scrubbed by its serializer), and `err` goes through a serializer that scrubs it itself.
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

/** Scrubs log text and log objects; `knownSecrets` (from config) are cut wherever they appear. */
export interface LogScrubber {
  text(value: string): string;
  object(object: Record<string, unknown>): Record<string, unknown>;
}

const escapeRegExp = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function createLogScrubber(knownSecrets: readonly string[] = []): LogScrubber {
  // Longest first, so a secret that contains another is cut whole. Short values would cut words.
  const secrets = [...new Set(knownSecrets.filter((secret) => secret.length >= 8))].sort((a, b) => b.length - a.length);
  const known = secrets.length > 0 ? new RegExp(secrets.map(escapeRegExp).join('|'), 'g') : undefined;

  const text = (value: string): string => {
    let scrubbed = known ? value.replace(known, REDACTED) : value;
    for (const [shape, replace] of SECRET_SHAPES) scrubbed = scrubbed.replace(shape, replace);
    return scrubbed;
  };

  const scrub = (value: unknown, depth: number, seen: WeakSet<object>): unknown => {
    if (typeof value === 'string') return text(value);
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
  };

  return {
    text,
    object: (object) => scrub(object, 0, new WeakSet()) as Record<string, unknown>,
  };
}

const shapesOnly = createLogScrubber();

/** A scrubbed copy of an object about to be logged (secret shapes only; services add known secrets). */
export const scrubLogObject = shapesOnly.object;

/** A log message with secret shapes cut out. */
export const scrubLogText = shapesOnly.text;
