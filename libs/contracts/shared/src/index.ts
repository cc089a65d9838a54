import { Type, type Static, type TSchema, type TUnsafe } from '@sinclair/typebox';

/**
 * One refused field of a request, for the client to highlight: `pointer` is an RFC 6901 JSON
 * Pointer into the request body the client sent (into the query, path parameters or headers when
 * those were refused — `path` names which), `code` the stable reason, `detail` words for a person.
 * `path` and `message` are the older spelling of the same thing, kept so existing clients read on.
 */
export const FieldErrorSchema = Type.Object(
  {
    pointer: Type.String({ description: 'RFC 6901 JSON Pointer to the field, e.g. /applicant/ssn', examples: ['/applicant/ssn'] }),
    code: Type.String({ description: 'Stable machine-readable reason', examples: ['SSN_NEVER_ISSUED'] }),
    detail: Type.String({ description: 'What is wrong, for a person; never repeats the value' }),
    path: Type.String({ deprecated: true, description: 'Deprecated: read `pointer`. The request part and the field, e.g. body/applicant/ssn' }),
    message: Type.String({ deprecated: true, description: 'Deprecated: read `detail`' }),
  },
  { additionalProperties: false },
);
export type FieldError = Static<typeof FieldErrorSchema>;

/**
 * RFC 9457 problem details, as every service answers errors. `code` is the stable,
 * machine-readable reason (e.g. `ACCOUNT_NOT_FOUND`); `title` and `detail` are for people.
 * Extension members: `errors` (the refused fields of a 400 VALIDATION_FAILED or a 422 that names
 * fields), `attemptsLeft` / `attemptsRemaining` (how many more tries a limited action allows).
 */
export const ProblemSchema = Type.Object(
  {
    type: Type.String({
      description: 'URI reference identifying the problem type',
    }),
    title: Type.String(),
    status: Type.Integer({ format: 'int32', minimum: 400, maximum: 599 }),
    detail: Type.Optional(Type.String()),
    instance: Type.Optional(Type.String()),
    code: Type.String({
      description: 'Stable machine-readable error code',
      examples: ['ACCOUNT_NOT_FOUND'],
    }),
    requestId: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(FieldErrorSchema, { description: 'The refused fields, each with a JSON Pointer to highlight' })),
    attemptsLeft: Type.Optional(
      Type.Integer({ format: 'int32', minimum: 0, description: 'Experience APIs: attempts left at a limited action, e.g. confirming deposits' }),
    ),
    attemptsRemaining: Type.Optional(
      Type.Integer({
        format: 'int32',
        minimum: 0,
        description: 'Process API: attempts remaining at a limited action, e.g. confirming micro-deposits',
      }),
    ),
  },
  { $id: 'Problem', title: 'Problem', additionalProperties: true },
);
export type Problem = Static<typeof ProblemSchema>;

/** ISO 4217 currency code. */
export const CurrencySchema = Type.String({
  pattern: '^[A-Z]{3}$',
  examples: ['USD'],
});

/** Money is integer minor units (cents) plus an ISO currency code — never floats. */
export const MoneySchema = Type.Object(
  {
    // int64: clients must not squeeze a ledger amount into 32 bits; bounded by what a JSON number holds exactly.
    amountMinor: Type.Integer({
      format: 'int64',
      minimum: -Number.MAX_SAFE_INTEGER,
      maximum: Number.MAX_SAFE_INTEGER,
      description: 'Amount in minor units (cents)',
      examples: [12550],
    }),
    currency: CurrencySchema,
  },
  { additionalProperties: false },
);
export type Money = Static<typeof MoneySchema>;

/**
 * Server-generated identifiers: UUIDs exactly as the services issue and PostgreSQL prints them,
 * lowercase 8-4-4-4-12 hex. The pattern is what is checked: ajv's `uuid` format alone also
 * accepts `urn:uuid:<uuid>`, which the database refuses; `format` stays for client generators.
 */
export const IdSchema = Type.String({
  format: 'uuid',
  pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
  examples: ['5f0c8a9e-4a8e-4e7b-9d3c-3f1d2b6a7c10'],
});

/** The `Idempotency-Key` header value: 8–128 visible characters, e.g. a UUID. */
export const IdempotencyKeySchema = Type.String({
  pattern: '^[A-Za-z0-9_.:-]{8,128}$',
});

/** Headers of an idempotent write. */
export const IdempotentWriteHeadersSchema = Type.Object({
  'idempotency-key': IdempotencyKeySchema,
});

/** Opaque cursor for keyset pagination. */
export const CursorSchema = Type.String({ pattern: '^[A-Za-z0-9_-]{1,200}$' });

export const PageQuerySchema = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 20 })),
    cursor: Type.Optional(CursorSchema),
  },
  { additionalProperties: false },
);
export type PageQuery = Static<typeof PageQuerySchema>;

/**
 * A calendar day, `YYYY-MM-DD`, that exists (`2025-02-30` is refused). Date filters read it as a
 * UTC day: from its 00:00:00Z up to (not including) the next day's.
 */
export const CalendarDateSchema = Type.String({
  format: 'date',
  description: 'A calendar day (UTC), YYYY-MM-DD',
  examples: ['2026-01-31'],
});

/** The problem answers most routes can give; spread into a route's `response`. */
export const commonProblemResponses = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  413: ProblemSchema,
  415: ProblemSchema,
  500: ProblemSchema,
} as const;

/**
 * A `$ref` to a shared schema that keeps the referenced schema's static type (TypeBox 0.34
 * deprecated `Type.Ref(schema)`). The schema must be registered where the reference is resolved:
 * the platform's `schemas` on the server, the client core's `schemas` on the client.
 */
export function ref<T extends TSchema>(schema: T): TUnsafe<Static<T>> {
  if (typeof schema.$id !== 'string') throw new TypeError('only a schema with an $id can be referenced');
  return Type.Unsafe<Static<T>>(Type.Ref(schema.$id));
}
