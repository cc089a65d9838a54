/**
 * An OpenAPI-driven, property-based fuzzer (fast-check): reads a service's OpenAPI 3.1 document and
 * sends every operation a reproducible mix of schema-valid requests (so handlers are really
 * reached, valid-but-unknown ids included), boundary values and hostile input — wrong types, extra
 * properties, over-long and odd unicode strings, `urn:uuid:` and other non-canonical ids, huge
 * numbers, nested junk, wrong content types, empty and malformed bodies, garbage credentials.
 *
 * The one rule it checks is the platform's error contract: never a 5xx, and every 4xx is RFC 9457
 * `application/problem+json` with `type`, `title`, `status` (equal to the HTTP status) and `code`.
 *
 * Stable interface (the CI specs call it through `app.inject`, the fault suite over real HTTP as
 * scenario 9 — keep it backwards compatible):
 *
 *   const result = await fuzzOpenApi({
 *     document,                             // the parsed /openapi.json
 *     send: injectSender(app),              // or httpSender('http://127.0.0.1:3001')
 *     runs: 100,                            // cases per operation
 *     seed: 42,                             // omit for a fresh one; it is in the result either way
 *     authHeaders: () => ({ authorization: `Bearer ${token}` }),
 *     knownValues: { accountId: [realAccountId] }, // real ids by parameter / property name
 *   });
 *   expect(formatFuzzFailures(result)).toEqual([]);
 *
 * Reproducible: the same seed and document give the same requests (each operation draws from its
 * own seed derived from the run's seed and its operationId). Privacy: nothing is logged; the
 * requests kept in `failures` are redacted (credentials, PII-named fields, digit runs), and the
 * report names each case by what was mutated, never by the generated value.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import fc from 'fast-check';

/** A request as the fuzzer builds it: `path` includes the encoded query string. */
export interface FuzzRequest {
  method: string;
  path: string;
  /** Lower-case names, printable ASCII values (so it can go over real HTTP unchanged). */
  headers: Record<string, string>;
  body?: string;
}

export interface FuzzResponse {
  status: number;
  headers: Record<string, string | string[] | number | undefined>;
  body: string;
}

/** Delivers one request; throw only when there was no answer at all (reported as a failure). */
export type FuzzSend = (request: FuzzRequest) => Promise<FuzzResponse>;

/** What `authHeaders` is told about the operation being fuzzed. */
export interface FuzzOperation {
  operationId: string;
  method: string;
  /** The path template, e.g. `/v1/accounts/{accountId}`. */
  path: string;
}

export interface FuzzOptions {
  /** The OpenAPI 3.x document, parsed. */
  document: unknown;
  send: FuzzSend;
  /** Cases per operation (default 100). */
  runs?: number;
  /** Default: a fresh random seed, answered in the result. */
  seed?: number;
  /** Credentials for the operation; the fuzzer also drops and garbles them in some cases. */
  authHeaders?: (operation: FuzzOperation) => Record<string, string> | Promise<Record<string, string>>;
  /** Real values by parameter or body-property name (e.g. ids created in set-up), used in most valid cases. */
  knownValues?: Record<string, readonly unknown[]>;
  /** Only operations this accepts are fuzzed (default: all). */
  filter?: (operation: FuzzOperation) => boolean;
  /** At most this many failures are kept (default 500); `cases` and `byStatus` still count all. */
  maxFailures?: number;
}

export interface FuzzFailure {
  operationId: string;
  /** What this case mutated, e.g. `path accountId: urn:uuid id` (never the generated value). */
  mutation: string;
  /** The request, redacted (re-run with the seed to get the exact one). */
  request: FuzzRequest;
  /** `null` when `send` threw (no answer). */
  status: number | null;
  reason: string;
}

export interface FuzzResult {
  seed: number;
  cases: number;
  byStatus: Record<number, number>;
  byOperation: Record<string, Record<number, number>>;
  failures: FuzzFailure[];
}

// ---------------------------------------------------------------------------------------------
// The document

type Schema = Record<string, unknown>;
type Location = 'path' | 'query' | 'header';

interface Parameter {
  name: string;
  in: Location;
  required: boolean;
  schema: Schema;
}

interface Operation extends FuzzOperation {
  parameters: Parameter[];
  body?: { required: boolean; mediaType: string; schema: Schema };
  /** Methods the path does not declare (for wrong-method cases). */
  otherMethods: string[];
}

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function resolver(document: Record<string, unknown>) {
  return function resolve<T = Schema>(node: unknown, seen = 0): T {
    if (isObject(node) && typeof node.$ref === 'string' && seen < 32) {
      const target = node.$ref
        .replace(/^#\//, '')
        .split('/')
        .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
        .reduce<unknown>((at, part) => (isObject(at) ? at[part] : undefined), document);
      if (target === undefined) throw new Error(`unresolvable $ref ${node.$ref}`);
      return resolve<T>(target, seen + 1);
    }
    return node as T;
  };
}

function readOperations(document: unknown): {
  operations: Operation[];
  resolve: ReturnType<typeof resolver>;
} {
  if (!isObject(document) || !isObject(document.paths)) throw new Error('not an OpenAPI document: no paths');
  const resolve = resolver(document);
  const operations: Operation[] = [];
  for (const [path, rawItem] of Object.entries(document.paths)) {
    const item = resolve<Record<string, unknown>>(rawItem);
    const declared = METHODS.filter((method) => isObject(item[method]));
    for (const method of declared) {
      const op = item[method] as Record<string, unknown>;
      const merged = new Map<string, Parameter>();
      for (const raw of [...((item.parameters as unknown[]) ?? []), ...((op.parameters as unknown[]) ?? [])]) {
        const parameter = resolve<Record<string, unknown>>(raw);
        if (!['path', 'query', 'header'].includes(parameter.in as string)) continue;
        merged.set(`${parameter.in}:${parameter.name}`, {
          name: parameter.in === 'header' ? String(parameter.name).toLowerCase() : String(parameter.name),
          in: parameter.in as Location,
          required: parameter.in === 'path' || parameter.required === true,
          schema: resolve(parameter.schema ?? {}),
        });
      }
      let body: Operation['body'];
      const requestBody = op.requestBody ? resolve<Record<string, unknown>>(op.requestBody) : undefined;
      if (requestBody && isObject(requestBody.content)) {
        const mediaType = Object.keys(requestBody.content).find((type) => /json/i.test(type)) ?? Object.keys(requestBody.content)[0];
        if (mediaType) {
          const content = requestBody.content[mediaType] as Record<string, unknown>;
          body = {
            required: requestBody.required === true,
            mediaType,
            schema: resolve(content?.schema ?? {}),
          };
        }
      }
      operations.push({
        operationId: typeof op.operationId === 'string' ? op.operationId : `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        parameters: [...merged.values()],
        body,
        otherMethods: METHODS.filter((other) => !declared.includes(other)).map((other) => other.toUpperCase()),
      });
    }
  }
  return { operations, resolve };
}

// ---------------------------------------------------------------------------------------------
// Values

/** JSON text inserted verbatim into a body (numbers JSON.stringify cannot write, e.g. 1e400). */
class RawJson {
  constructor(readonly text: string) {}
}

/** A value for one location plus what it is, for the report. */
interface Labelled {
  label: string;
  value: unknown;
}

const MAX_DEPTH = 6;

/** The schema keywords of a node, with `allOf` merged and `$ref` resolved. */
function flatten(schema: unknown, resolve: ReturnType<typeof resolver>): Schema {
  const node = resolve(schema ?? {});
  if (!Array.isArray(node.allOf)) return node;
  const merged: Schema = { ...node, allOf: undefined };
  for (const part of node.allOf.map((each) => flatten(each, resolve))) {
    Object.assign(merged, part, {
      properties: {
        ...(merged.properties as object),
        ...(part.properties as object),
      },
      required: [...((merged.required as string[]) ?? []), ...((part.required as string[]) ?? [])],
    });
  }
  return merged;
}

const typesOf = (schema: Schema): string[] => {
  if (Array.isArray(schema.type)) return schema.type as string[];
  if (typeof schema.type === 'string') return [schema.type];
  if (isObject(schema.properties)) return ['object'];
  if (schema.items !== undefined || schema.prefixItems !== undefined) return ['array'];
  return [];
};

const bounded = (value: unknown, fallback: number) => (typeof value === 'number' && Number.isFinite(value) ? value : fallback);

/** ajv-formats' "fast" email pattern: what the services accept. */
const EMAIL = fc
  .tuple(
    fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,20}[a-z0-9]$/),
    fc.stringMatching(/^[a-z][a-z0-9-]{0,12}[a-z0-9]$/),
    fc.constantFrom('com', 'org', 'net', 'io', 'bank'),
  )
  .map(([local, domain, tld]) => `${local.replace(/\.{2,}/g, '.')}@${domain}.${tld}`);

const DAY = 86_400_000;
const dateArb = fc.integer({ min: Date.UTC(1900, 0, 1) / DAY, max: Date.UTC(2100, 0, 1) / DAY }).map((day) => new Date(day * DAY));

function validString(schema: Schema): fc.Arbitrary<string> {
  const minLength = bounded(schema.minLength, 0);
  const maxLength = bounded(schema.maxLength, Math.max(minLength, 40));
  const fits = (text: string) => [...text].length >= minLength && [...text].length <= maxLength;
  switch (schema.format) {
    case 'uuid':
      return fc.uuid();
    case 'date':
      return dateArb.map((date) => date.toISOString().slice(0, 10));
    case 'date-time':
      return dateArb.chain((date) => fc.integer({ min: 0, max: DAY - 1 }).map((ms) => new Date(date.getTime() + ms).toISOString()));
    case 'email':
      return EMAIL.filter(fits);
  }
  if (typeof schema.pattern === 'string') {
    const pattern = new RegExp(schema.pattern, 'u');
    // Anchored patterns describe the whole value; unanchored ones (`\S`) only constrain it.
    if (schema.pattern.startsWith('^') && schema.pattern.endsWith('$')) return fc.stringMatching(pattern).filter(fits);
    return plainString(minLength, Math.min(maxLength, minLength + 40)).filter((text) => pattern.test(text));
  }
  return plainString(minLength, Math.min(maxLength, minLength + 40));
}

const plainString = (minLength: number, maxLength: number) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.string({ minLength, maxLength }) },
    {
      weight: 1,
      arbitrary: fc.string({ minLength, maxLength, unit: 'grapheme' }).filter((text) => [...text].length <= maxLength),
    },
  );

/** Schema-valid values (best effort: ajv keywords the services use), biased to `examples` and known values. */
function validValue(schema: unknown, context: Context, name: string | undefined, depth = 0): fc.Arbitrary<unknown> {
  const generated = validByType(flatten(schema, context.resolve), context, depth);
  const known = name ? context.knownValues[name] : undefined;
  const node = flatten(schema, context.resolve);
  const examples = Array.isArray(node.examples) ? node.examples : node.example !== undefined ? [node.example] : [];
  const choices: Array<fc.WeightedArbitrary<unknown>> = [{ weight: 3, arbitrary: generated }];
  if (known?.length) choices.push({ weight: 6, arbitrary: fc.constantFrom(...known) });
  if (examples.length) choices.push({ weight: 1, arbitrary: fc.constantFrom(...examples) });
  return choices.length === 1 ? generated : fc.oneof(...choices);
}

function validByType(schema: Schema, context: Context, depth: number): fc.Arbitrary<unknown> {
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum) && schema.enum.length) return fc.constantFrom(...schema.enum);
  const union = (schema.anyOf ?? schema.oneOf) as unknown[] | undefined;
  if (Array.isArray(union) && union.length) return fc.oneof(...union.map((branch) => validValue(branch, context, undefined, depth)));
  const types = typesOf(schema);
  if (types.length > 1) return fc.oneof(...types.map((type) => validByType({ ...schema, type }, context, depth)));
  switch (types[0]) {
    case 'string':
      return validString(schema);
    case 'integer': {
      const min = Math.ceil(bounded(schema.minimum, Number.MIN_SAFE_INTEGER)) + (schema.exclusiveMinimum !== undefined ? 1 : 0);
      const max = Math.floor(bounded(schema.maximum, Number.MAX_SAFE_INTEGER)) - (schema.exclusiveMaximum !== undefined ? 1 : 0);
      return fc.integer({
        min: Math.max(min, Number.MIN_SAFE_INTEGER),
        max: Math.min(max, Number.MAX_SAFE_INTEGER),
      });
    }
    case 'number':
      return fc.double({
        min: bounded(schema.minimum, -1e12),
        max: bounded(schema.maximum, 1e12),
        noNaN: true,
        noDefaultInfinity: true,
      });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return validArray(schema, context, depth);
    case 'object':
      return validObject(schema, context, depth);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function validArray(schema: Schema, context: Context, depth: number): fc.Arbitrary<unknown[]> {
  const tuple = (Array.isArray(schema.prefixItems) ? schema.prefixItems : Array.isArray(schema.items) ? schema.items : undefined) as
    | unknown[]
    | undefined;
  if (tuple) return fc.tuple(...tuple.map((item) => validValue(item, context, undefined, depth + 1)));
  if (depth >= MAX_DEPTH) return fc.constant([]);
  const minLength = bounded(schema.minItems, 0);
  const maxLength = Math.min(bounded(schema.maxItems, minLength + 4), minLength + 4);
  const item = validValue(schema.items ?? {}, context, undefined, depth + 1);
  return schema.uniqueItems
    ? fc.uniqueArray(item, {
        minLength,
        maxLength,
        selector: (value) => JSON.stringify(value),
      })
    : fc.array(item, { minLength, maxLength });
}

function validObject(schema: Schema, context: Context, depth: number): fc.Arbitrary<unknown> {
  const properties = (isObject(schema.properties) ? schema.properties : {}) as Record<string, unknown>;
  const required = ((schema.required as string[]) ?? []).filter((key) => key in properties);
  if (depth >= MAX_DEPTH) return fc.constant({});
  const model = Object.fromEntries(Object.entries(properties).map(([key, property]) => [key, validValue(property, context, key, depth + 1)]));
  // Most cases carry every property, so optional ones are exercised too.
  return fc.oneof({ weight: 3, arbitrary: fc.record(model) }, { weight: 2, arbitrary: fc.record(model, { requiredKeys: required }) });
}

/** Edge values of a schema: exactly at its limits (still valid) and one past them (invalid). */
function boundaryValues(schema: Schema): Labelled[] {
  const values: Labelled[] = [];
  const types = typesOf(schema);
  if (types.includes('string') && !schema.format && !schema.enum) {
    const filler = typeof schema.pattern === 'string' && /\\d|\[0-9\]/.test(schema.pattern) ? '7' : 'a';
    if (typeof schema.minLength === 'number') {
      values.push({
        label: 'string of minLength',
        value: filler.repeat(schema.minLength),
      });
      if (schema.minLength > 0)
        values.push({
          label: 'string of minLength-1',
          value: filler.repeat(schema.minLength - 1),
        });
    }
    if (typeof schema.maxLength === 'number') {
      values.push({
        label: 'string of maxLength',
        value: filler.repeat(schema.maxLength),
      });
      values.push({
        label: 'string of maxLength+1',
        value: filler.repeat(schema.maxLength + 1),
      });
    }
  }
  if (types.includes('integer') || types.includes('number')) {
    for (const [keyword, label] of [
      ['minimum', 'minimum'],
      ['maximum', 'maximum'],
    ] as const) {
      const limit = schema[keyword];
      if (typeof limit !== 'number') continue;
      values.push({ label, value: limit });
      values.push({
        label: keyword === 'minimum' ? 'minimum-1' : 'maximum+1',
        value: keyword === 'minimum' ? limit - 1 : limit + 1,
      });
    }
    values.push({ label: 'zero', value: 0 }, { label: 'negative one', value: -1 });
    if (types.includes('integer')) values.push({ label: 'fractional number', value: 1.5 });
  }
  if (types.includes('array')) {
    if (typeof schema.minItems === 'number') values.push({ label: 'empty array', value: [] });
    if (typeof schema.maxItems === 'number')
      values.push({
        label: 'array of maxItems+1',
        value: Array.from({ length: schema.maxItems + 1 }, () => 1),
      });
  }
  return values;
}

/** Strings no service should choke on, wherever a string goes. */
const hostileText = (maxLength = 255): Labelled[] => [
  { label: 'empty string', value: '' },
  { label: 'blank string', value: '   ' },
  { label: 'over-long string', value: 'a'.repeat(maxLength + 1) },
  { label: 'very long string', value: 'x'.repeat(10_000) },
  { label: 'NUL byte', value: 'a\u0000b' },
  { label: 'lone surrogate', value: 'a\ud800b' },
  {
    label: 'emoji, bidi and zero-width characters',
    value: '🏦\u202Eabc\u200B\uFEFF',
  },
  { label: 'combining marks', value: 'Z\u0335\u0321a\u0338l\u0336g\u0337o' },
  { label: 'SQL metacharacters', value: "' OR '1'='1' --" },
  { label: 'path traversal', value: '../../etc/passwd' },
  { label: 'template syntax', value: '${7*7}{{7*7}}#{7*7}' },
  { label: 'markup', value: '<script>alert(1)</script>' },
  { label: 'CRLF', value: 'a\r\nx-injected: 1' },
  { label: 'long digit string', value: '123456789012345678901234567890' },
  { label: 'negative number string', value: '-1' },
  { label: 'exponent string', value: '1e309' },
  { label: 'literal null', value: 'null' },
  { label: 'percent sequences', value: '%00%zz%' },
];

/** Ids PostgreSQL or ajv read differently from the canonical form (ajv's `uuid` format takes `urn:uuid:`). */
const hostileIds = (uuid: string): Labelled[] => [
  { label: 'urn:uuid id', value: `urn:uuid:${uuid}` },
  { label: 'URN:UUID id', value: `URN:UUID:${uuid.toUpperCase()}` },
  { label: 'braced uuid', value: `{${uuid}}` },
  { label: 'upper-case uuid', value: uuid.toUpperCase() },
  { label: 'uuid without dashes', value: uuid.replace(/-/g, '') },
  { label: 'uuid with trailing newline', value: `${uuid}\n` },
  { label: 'uuid with surrounding spaces', value: ` ${uuid} ` },
  { label: 'nil uuid', value: '00000000-0000-0000-0000-000000000000' },
  { label: 'max uuid', value: 'ffffffff-ffff-ffff-ffff-ffffffffffff' },
  {
    label: 'uuid-shaped non-hex',
    value: 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz',
  },
  { label: 'truncated uuid', value: uuid.slice(0, 35) },
];

const hostileDates: Labelled[] = [
  { label: 'impossible date', value: '2023-02-30' },
  { label: 'year 9999 date', value: '9999-12-31' },
  { label: 'year 0 date', value: '0000-01-01' },
  { label: 'five-digit year', value: '+12024-01-01' },
  { label: 'date-time where a date goes', value: '1990-04-01T00:00:00Z' },
  { label: 'out-of-range date-time', value: '2024-13-45T25:61:61Z' },
];

const deepArray = (depth: number): unknown => (depth === 0 ? [] : [deepArray(depth - 1)]);

/** Non-string JSON values, for wrong-type cases. */
const hostileJson: Labelled[] = [
  { label: 'wrong type: number', value: 42 },
  { label: 'wrong type: negative zero', value: new RawJson('-0') },
  { label: 'wrong type: boolean', value: true },
  { label: 'wrong type: null', value: null },
  { label: 'wrong type: array', value: ['a', 1] },
  { label: 'wrong type: object', value: { unexpected: 'value' } },
  { label: 'huge number 1e400', value: new RawJson('1e400') },
  { label: 'huge negative number', value: new RawJson('-1e400') },
  { label: 'tiny number 1e-400', value: new RawJson('1e-400') },
  { label: 'integer beyond 2^53', value: new RawJson('9007199254740993') },
  { label: 'integer beyond 2^63', value: new RawJson('9223372036854775808') },
  { label: 'integer beyond 2^31', value: 2_147_483_648 },
  {
    label: 'nested junk',
    value: { a: [{ b: { c: [null, { d: 'e' }] } }], __proto__x: 1 },
  },
  { label: 'deeply nested arrays', value: deepArray(200) },
  {
    label: 'object with many keys',
    value: Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`k${i}`, i])),
  },
];

/**
 * A bad value for one location, weighted towards what its schema invites: odd ids where an id
 * goes, odd dates where a date goes, wrong types and hostile text everywhere.
 */
function hostileFor(
  schema: Schema,
  name: string | undefined,
  uuid: string,
  options: { json?: boolean; printableOnly?: boolean } = {},
): fc.Arbitrary<Labelled> {
  const asString = (list: Labelled[]) => list.map((each) => ({ ...each, value: asText(each.value) }));
  const keep = (list: Labelled[]) => (options.printableOnly ? list.filter((each) => printable(String(each.value))) : list);
  const isId = schema.format === 'uuid' || /id$/i.test(name ?? '');
  const isDate = schema.format === 'date' || schema.format === 'date-time';
  const groups: Array<[number, Labelled[]]> = [
    [isId ? 6 : 1, hostileIds(uuid)],
    [isDate ? 4 : 1, hostileDates],
    [3, hostileText(bounded(schema.maxLength, 255))],
    [2, options.json ? hostileJson : asString(hostileJson)],
  ];
  return fc.oneof(
    ...groups
      .map(([weight, list]) => [weight, keep(list)] as const)
      .filter(([, list]) => list.length > 0)
      .map(([weight, list]) => ({
        weight,
        arbitrary: fc.constantFrom(...list),
      })),
  );
}

/** Header-safe variants (printable ASCII only: anything else cannot be sent over HTTP). */
const printable = (text: string) => /^[\x20-\x7e]*$/.test(text);

// ---------------------------------------------------------------------------------------------
// Cases

interface Context {
  resolve: ReturnType<typeof resolver>;
  knownValues: Record<string, readonly unknown[]>;
}

/** The valid parts of a request before any mutation. */
interface Parts {
  pathParams: Record<string, string>;
  query: Array<[string, string]>;
  headers: Record<string, string>;
  body: unknown;
  hasBody: boolean;
}

/** One generated case: how to turn the valid parts and credentials into the request to send. */
interface Case {
  mutation: string;
  build(auth: Record<string, string>): FuzzRequest;
}

/**
 * encodeURIComponent, except that lone surrogates (which it refuses) go out as their WTF-8 bytes:
 * a URL that is not valid UTF-8 is one more input a service must refuse cleanly.
 */
function encode(text: string): string {
  try {
    return encodeURIComponent(text);
  } catch {
    return text.replace(/[\s\S]/gu, (char) => {
      const unit = char.charCodeAt(0);
      if (char.length > 1 || unit < 0xd800 || unit > 0xdfff) return encodeURIComponent(char);
      return [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)].map((byte) => `%${byte.toString(16).toUpperCase()}`).join('');
    });
  }
}

const asText = (value: unknown): string => (value instanceof RawJson ? value.text : typeof value === 'string' ? value : JSON.stringify(value));

function serialize(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, each: unknown) => {
    if (each instanceof RawJson) {
      raws.push(each.text);
      return `\u0001RAW${raws.length - 1}\u0001`;
    }
    return each;
  });
  return text.replace(/"\\u0001RAW(\d+)\\u0001"/g, (_match, index: string) => raws[Number(index)] as string);
}

function buildPath(template: string, params: Record<string, string>, rawParam?: { name: string; text: string }): string {
  return template.replace(/\{([^}]+)\}/g, (_match, name: string) => (rawParam?.name === name ? rawParam.text : encode(params[name] ?? '')));
}

const queryString = (query: Array<[string, string]>, raw?: string) => {
  const encoded = query.map(([key, value]) => `${encode(key)}=${encode(value)}`);
  if (raw !== undefined) encoded.push(raw);
  return encoded.length ? `?${encoded.join('&')}` : '';
};

/** Walks a valid body to every location a mutation can target, with the schema that governs it. */
function bodyTargets(
  value: unknown,
  schema: unknown,
  context: Context,
  at: Array<string | number> = [],
): Array<{ at: Array<string | number>; schema: Schema }> {
  const node = flatten(schema, context.resolve);
  const targets = [{ at, schema: node }];
  if (at.length > MAX_DEPTH) return targets;
  if (isObject(value)) {
    const properties = (isObject(node.properties) ? node.properties : {}) as Record<string, unknown>;
    for (const [key, child] of Object.entries(value)) targets.push(...bodyTargets(child, properties[key] ?? {}, context, [...at, key]));
  } else if (Array.isArray(value)) {
    const tuple = (Array.isArray(node.prefixItems) ? node.prefixItems : Array.isArray(node.items) ? node.items : undefined) as unknown[] | undefined;
    value.forEach((child, index) => targets.push(...bodyTargets(child, tuple ? tuple[index] : (node.items ?? {}), context, [...at, index])));
  }
  return targets;
}

const describePointer = (at: Array<string | number>) =>
  at.length ? at.map((part) => (typeof part === 'number' ? `[${part}]` : `.${part}`)).join('') : '(root)';

/** A deep copy of `value` with the location `at` set to `replacement` (or deleted). */
function replaceAt(value: unknown, at: Array<string | number>, replacement: { value?: unknown; remove?: boolean }): unknown {
  if (at.length === 0) return replacement.value;
  const [head, ...rest] = at as [string | number, ...Array<string | number>];
  if (Array.isArray(value)) {
    const copy = [...value];
    if (rest.length === 0 && replacement.remove) copy.splice(Number(head), 1);
    else copy[Number(head)] = replaceAt(copy[Number(head)], rest, replacement);
    return copy;
  }
  const copy = { ...(value as Record<string, unknown>) };
  if (rest.length === 0 && replacement.remove) delete copy[head];
  else copy[head] = replaceAt(copy[head], rest, replacement);
  return copy;
}

function caseArbitrary(operation: Operation, context: Context, authNames: string[]): fc.Arbitrary<Case> {
  const byLocation = (location: Location) => operation.parameters.filter((parameter) => parameter.in === location);
  const pathParams = byLocation('path');
  const queryParams = byLocation('query');
  const headerParams = byLocation('header');
  const declaredHeaders = new Set(headerParams.map((parameter) => parameter.name));

  const optional = (parameter: Parameter, arbitrary: fc.Arbitrary<string>) =>
    parameter.required ? arbitrary.map((value): string | undefined => value) : fc.option(arbitrary, { nil: undefined, freq: 3 });
  const parameterValue = (parameter: Parameter) => validValue(parameter.schema, context, parameter.name).map(asText);
  const record = (parameters: Parameter[]) =>
    fc.record(Object.fromEntries(parameters.map((parameter) => [parameter.name, optional(parameter, parameterValue(parameter))])));
  const defined = (values: Record<string, string | undefined>) =>
    Object.fromEntries(Object.entries(values).filter((entry): entry is [string, string] => entry[1] !== undefined));

  const validParts: fc.Arbitrary<Parts> = fc
    .record({
      pathParams: record(pathParams),
      query: record(queryParams),
      headers: record(headerParams),
      body: operation.body ? validValue(operation.body.schema, context, undefined) : fc.constant(undefined),
    })
    .map((parts) => ({
      pathParams: defined(parts.pathParams),
      query: Object.entries(defined(parts.query)),
      headers: defined(parts.headers),
      body: parts.body,
      hasBody: operation.body !== undefined,
    }));

  const contentType = operation.body?.mediaType ?? 'application/json';
  const request = (
    parts: Parts,
    auth: Record<string, string>,
    change: {
      path?: string;
      query?: string;
      headers?: Record<string, string | undefined>;
      body?: string | null;
      method?: string;
    } = {},
  ): FuzzRequest => {
    const headers: Record<string, string> = { ...auth, ...parts.headers };
    let body: string | undefined;
    if (change.body !== undefined) body = change.body ?? undefined;
    else if (parts.hasBody && parts.body !== undefined) body = serialize(parts.body);
    if (body !== undefined) headers['content-type'] = contentType;
    for (const [name, value] of Object.entries(change.headers ?? {})) {
      if (value === undefined) delete headers[name];
      else headers[name] = value;
    }
    return {
      method: change.method ?? operation.method,
      path: (change.path ?? buildPath(operation.path, parts.pathParams)) + (change.query ?? queryString(parts.query)),
      headers,
      ...(body !== undefined ? { body } : {}),
    };
  };

  const uuid = fc.uuid();
  const choices: Array<fc.WeightedArbitrary<Case>> = [];
  const add = (weight: number, arbitrary: fc.Arbitrary<Case>) => choices.push({ weight, arbitrary });

  add(
    4,
    validParts.map((parts) => ({
      mutation: 'valid',
      build: (auth) => request(parts, auth),
    })),
  );

  // Path parameters: boundaries, hostile strings (encoded), and raw segments no encoder makes.
  if (pathParams.length) {
    const rawSegments = ['%', '%zz', '..', '.', '%2e%2e', '%2F', '%00', ';', '%20'];
    add(
      6,
      fc.tuple(validParts, fc.constantFrom(...pathParams), uuid).chain(([parts, parameter, id]) =>
        fc
          .oneof(
            {
              weight: 5,
              arbitrary: hostileFor(parameter.schema, parameter.name, id),
            },
            {
              weight: 1,
              arbitrary: fc.constantFrom(...[...boundaryValues(parameter.schema), { label: 'random uuid', value: id }]),
            },
            {
              weight: 1,
              arbitrary: fc.constantFrom(
                ...rawSegments.map((segment) => ({
                  label: `raw segment ${segment}`,
                  value: new RawJson(segment),
                })),
              ),
            },
          )
          .map(({ label, value }) => ({
            mutation: `path ${parameter.name}: ${label}`,
            build: (auth: Record<string, string>) =>
              request(parts, auth, {
                path: buildPath(operation.path, parts.pathParams, {
                  name: parameter.name,
                  text: value instanceof RawJson ? value.text : encode(asText(value)),
                }),
              }),
          })),
      ),
    );
  }

  // Query strings: declared parameters set to bad values, unknown and repeated parameters, raw junk.
  {
    const rawQueries = [
      '%',
      '%zz=1',
      'a[b]=1',
      '__proto__[x]=1',
      'constructor[prototype][x]=1',
      '=',
      '&&&',
      ...queryParams.map((parameter) => encodeURIComponent(parameter.name)),
    ];
    add(
      queryParams.length ? 3 : 1,
      fc.tuple(validParts, uuid).chain(([parts, id]) =>
        fc.oneof(
          ...(queryParams.length
            ? [
                fc.tuple(fc.constantFrom(...queryParams)).chain(([parameter]) =>
                  fc
                    .oneof(
                      {
                        weight: 3,
                        arbitrary: hostileFor(parameter.schema, parameter.name, id),
                      },
                      {
                        weight: 2,
                        arbitrary: fc.constantFrom(
                          ...boundaryValues(parameter.schema),
                          { label: 'NaN', value: 'NaN' },
                          { label: 'Infinity', value: 'Infinity' },
                          { label: 'hex', value: '0x10' },
                        ),
                      },
                    )
                    .map(({ label, value }) => ({
                      mutation: `query ${parameter.name}: ${label}`,
                      build: (auth: Record<string, string>) =>
                        request(parts, auth, {
                          query: queryString([...parts.query.filter(([key]) => key !== parameter.name), [parameter.name, asText(value)]]),
                        }),
                    })),
                ),
                fc.constantFrom(...queryParams).map((parameter) => ({
                  mutation: `query ${parameter.name}: repeated`,
                  build: (auth: Record<string, string>) =>
                    request(parts, auth, {
                      query: queryString([...parts.query, [parameter.name, '1'], [parameter.name, '2']]),
                    }),
                })),
              ]
            : []),
          fc.constant({
            mutation: 'query: unknown parameter',
            build: (auth: Record<string, string>) =>
              request(parts, auth, {
                query: queryString([...parts.query, ['unexpected', 'value']]),
              }),
          }),
          fc.constantFrom(...rawQueries).map((raw) => ({
            mutation: `query: raw junk ${raw}`,
            build: (auth: Record<string, string>) => request(parts, auth, { query: queryString(parts.query, raw) }),
          })),
        ),
      ),
    );
  }

  // Declared headers and credentials: dropped, emptied, garbled.
  {
    const targets = [...headerParams.map((parameter) => parameter.name), ...authNames.filter((name) => !declaredHeaders.has(name))];
    if (targets.length) {
      add(
        authNames.length ? 3 : 2,
        fc.tuple(validParts, fc.constantFrom(...targets), uuid).chain(([parts, name, id]) => {
          const parameter = headerParams.find((each) => each.name === name);
          const values = [
            ...(parameter ? boundaryValues(parameter.schema) : []),
            { label: 'bearer with no token', value: 'Bearer ' },
            { label: 'bearer with junk token', value: 'Bearer a.b.c' },
            {
              label: 'unsigned JWT',
              value: 'Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.',
            },
            { label: 'basic credentials', value: 'Basic dXNlcjpwYXNz' },
            {
              label: 'credential of an unknown caller',
              value: 'unknown-caller.0123456789abcdef',
            },
          ];
          return fc.oneof(
            fc.constant({
              mutation: `header ${name}: missing`,
              build: (auth: Record<string, string>) => request(parts, auth, { headers: { [name]: undefined } }),
            }),
            fc
              .oneof(
                hostileFor(parameter?.schema ?? {}, name, id, {
                  printableOnly: true,
                }),
                fc.constantFrom(...values),
              )
              .map(({ label, value }) => ({
                mutation: `header ${name}: ${label}`,
                build: (auth: Record<string, string>) =>
                  request(parts, auth, {
                    headers: { [name]: asText(value) },
                  }),
              })),
          );
        }),
      );
    }
  }

  // Bodies: one location set to a bad value, a property dropped or added, or the whole text broken.
  if (operation.body) {
    const schema = operation.body.schema;
    add(
      6,
      fc.tuple(validParts, uuid).chain(([parts, id]) => {
        const targets = bodyTargets(parts.body, schema, context);
        return fc.constantFrom(...targets).chain(({ at, schema: target }) => {
          const where = `body ${describePointer(at)}`;
          const properties = isObject(target.properties) ? Object.keys(target.properties) : [];
          const mutations: Array<fc.Arbitrary<Case>> = [
            fc
              .oneof(
                {
                  weight: 3,
                  arbitrary: hostileFor(target, typeof at[at.length - 1] === 'string' ? (at[at.length - 1] as string) : undefined, id, {
                    json: true,
                  }),
                },
                ...(boundaryValues(target).length
                  ? [
                      {
                        weight: 2,
                        arbitrary: fc.constantFrom(...boundaryValues(target)),
                      },
                    ]
                  : []),
              )
              .map(({ label, value }) => ({
                mutation: `${where}: ${label}`,
                build: (auth: Record<string, string>) =>
                  request(parts, auth, {
                    body: serialize(replaceAt(parts.body, at, { value })),
                  }),
              })),
          ];
          if (at.length)
            mutations.push(
              fc.constant({
                mutation: `${where}: removed`,
                build: (auth: Record<string, string>) =>
                  request(parts, auth, {
                    body: serialize(replaceAt(parts.body, at, { remove: true })),
                  }),
              }),
            );
          const current = at.reduce<unknown>((node, key) => (node as Record<string | number, unknown>)[key], parts.body);
          if (isObject(current))
            mutations.push(
              fc.constantFrom('unexpected', 'constructor', 'toString', ...properties.map((key) => key.toUpperCase())).map((extra) => ({
                mutation: `${where}: extra property`,
                build: (auth: Record<string, string>) =>
                  request(parts, auth, {
                    body: serialize(
                      replaceAt(parts.body, at, {
                        value: { ...current, [extra]: 'x' },
                      }),
                    ),
                  }),
              })),
            );
          return fc.oneof(...mutations);
        });
      }),
    );
  }

  // Whole-body breakage, on operations with and without a declared body.
  {
    const canCarryBody = !['GET', 'HEAD', 'DELETE'].includes(operation.method);
    if (canCarryBody) {
      add(
        operation.body ? 4 : 1,
        validParts.chain((parts) => {
          const valid = parts.hasBody && parts.body !== undefined ? serialize(parts.body) : '{}';
          const isJsonObject = valid.startsWith('{') && valid.length > 2;
          const variants: Array<{
            label: string;
            body: string | null;
            type?: string | undefined;
          }> = [
            {
              label: 'empty body with a JSON content type',
              body: '',
              type: 'application/json',
            },
            { label: 'no body at all', body: null, type: undefined },
            {
              label: 'malformed JSON',
              body: '{"a":',
              type: 'application/json',
            },
            {
              label: 'truncated JSON',
              body: valid.slice(0, Math.max(1, Math.floor(valid.length / 2))),
              type: 'application/json',
            },
            {
              label: 'JSON with trailing garbage',
              body: `${valid}x`,
              type: 'application/json',
            },
            {
              label: 'JSON array',
              body: `[${valid}]`,
              type: 'application/json',
            },
            { label: 'JSON string', body: '"text"', type: 'application/json' },
            { label: 'JSON null', body: 'null', type: 'application/json' },
            { label: 'JSON number', body: '42', type: 'application/json' },
            {
              label: 'deeply nested JSON',
              body: `${'['.repeat(5000)}${']'.repeat(5000)}`,
              type: 'application/json',
            },
            {
              label: 'byte-order mark before JSON',
              body: `\ufeff${valid}`,
              type: 'application/json',
            },
            {
              label: 'JSON declared as UTF-16',
              body: valid,
              type: 'application/json; charset=utf-16',
            },
            {
              label: 'malformed content type',
              body: valid,
              type: 'application/json;;; charset',
            },
            { label: 'text/plain body', body: valid, type: 'text/plain' },
            {
              label: 'form body',
              body: 'a=1&b=2',
              type: 'application/x-www-form-urlencoded',
            },
            { label: 'XML body', body: '<a>1</a>', type: 'application/xml' },
            {
              label: 'multipart body',
              body: '--x\r\ncontent-disposition: form-data; name="a"\r\n\r\n1\r\n--x--\r\n',
              type: 'multipart/form-data; boundary=x',
            },
            {
              label: 'body without a content type',
              body: valid,
              type: undefined,
            },
            {
              label: 'body over any limit',
              body: JSON.stringify({ padding: 'x'.repeat(1_100_000) }),
              type: 'application/json',
            },
          ];
          if (isJsonObject)
            variants.push(
              {
                label: 'duplicate keys',
                body: `${valid.slice(0, -1)},${valid.slice(1)}`,
                type: 'application/json',
              },
              {
                label: '__proto__ key',
                body: `{"__proto__":{"polluted":true},${valid.slice(1)}`,
                type: 'application/json',
              },
              {
                label: 'constructor.prototype key',
                body: `{"constructor":{"prototype":{"polluted":true}},${valid.slice(1)}`,
                type: 'application/json',
              },
            );
          return fc.constantFrom(...variants).map(({ label, body, type }) => ({
            mutation: `raw body: ${label}`,
            build: (auth: Record<string, string>) => request(parts, auth, { body, headers: { 'content-type': type } }),
          }));
        }),
      );
    }
  }

  // A method the path does not declare.
  if (operation.otherMethods.length)
    add(
      1,
      fc.tuple(validParts, fc.constantFrom(...operation.otherMethods)).map(([parts, method]) => ({
        mutation: `method ${method}`,
        build: (auth: Record<string, string>) =>
          request(parts, auth, {
            method,
            body: null,
            headers: { 'content-type': undefined },
          }),
      })),
    );

  return fc.oneof(...choices);
}

// ---------------------------------------------------------------------------------------------
// Judging and reporting

const headerOf = (headers: FuzzResponse['headers'], name: string): string | undefined => {
  const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
  const value = entry?.[1];
  return Array.isArray(value) ? value.join(', ') : value === undefined ? undefined : String(value);
};

/** Why this answer breaks the error contract, or undefined when it keeps it. */
export function judgeResponse(response: FuzzResponse): string | undefined {
  const { status } = response;
  const contentType = headerOf(response.headers, 'content-type') ?? '';
  let problem: Record<string, unknown> | undefined;
  if (/^application\/problem\+json/i.test(contentType)) {
    try {
      const parsed: unknown = JSON.parse(response.body);
      if (isObject(parsed)) problem = parsed;
    } catch {
      problem = undefined;
    }
  }
  const code = typeof problem?.code === 'string' && /^[A-Z0-9_]{1,64}$/.test(problem.code) ? ` ${problem.code}` : '';
  if (status >= 500) return `server error ${status}${code}`;
  if (status < 400) return undefined;
  if (!/^application\/problem\+json/i.test(contentType))
    return `${status} answered as ${contentType.split(';')[0] || 'no content type'}, not application/problem+json`;
  if (!problem) return `${status} problem+json body is not a JSON object`;
  const missing = ['type', 'title', 'code'].filter((field) => typeof problem[field] !== 'string' || problem[field] === '');
  if (typeof problem.status !== 'number') missing.push('status');
  if (missing.length) return `${status} problem lacks ${missing.join(', ')}`;
  if (problem.status !== status) return `${status} problem says status ${String(problem.status)}`;
  return undefined;
}

const SENSITIVE_HEADER = /authorization|cookie|credential|token|secret|api-key/i;
const SENSITIVE_KEY =
  /ssn|tax|account.?number|routing|birth|dob|email|phone|name|street|line\d|address|zip|postal|city|password|secret|token|credential|reason/i;
const UUID_PATTERN = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** Masks digit runs that could be SSNs, account or card numbers (UUIDs kept), and truncates. */
function maskText(text: string, max = 160): string {
  const uuids: string[] = [];
  const masked = text
    .replace(UUID_PATTERN, (uuid) => `\uE000${uuids.push(uuid) - 1}\uE000`)
    .replace(/\d[\d ().-]{5,}\d/g, '[digits]')
    .replace(/\uE000(\d+)\uE000/g, (_match, index: string) => uuids[Number(index)] as string);
  return masked.length > max ? `${masked.slice(0, max)}…(${masked.length} chars)` : masked;
}

function redactJson(value: unknown, key?: string): unknown {
  if (key !== undefined && SENSITIVE_KEY.test(key) && value !== null && typeof value !== 'object') return '[redacted]';
  if (Array.isArray(value)) return value.slice(0, 20).map((each) => redactJson(each));
  if (isObject(value))
    return Object.fromEntries(
      Object.entries(value)
        .slice(0, 40)
        .map(([name, each]) => [name, redactJson(each, name)]),
    );
  return typeof value === 'string' ? maskText(value, 80) : value;
}

/** The request with credentials and PII-like values masked: safe to print in CI output. */
export function redactRequest(request: FuzzRequest): FuzzRequest {
  const headers = Object.fromEntries(
    Object.entries(request.headers).map(([name, value]) => [
      name,
      SENSITIVE_HEADER.test(name) ? `[redacted, ${value.length} chars]` : maskText(value, 80),
    ]),
  );
  let body = request.body;
  if (body !== undefined) {
    try {
      body = maskText(JSON.stringify(redactJson(JSON.parse(body))), 400);
    } catch {
      body = maskText(body, 160);
    }
  }
  return {
    method: request.method,
    path: maskText(request.path, 200),
    headers,
    ...(body !== undefined ? { body } : {}),
  };
}

/** One line per distinct failure (operation, mutation, reason), with counts and the seed to re-run. */
export function formatFuzzFailures(result: FuzzResult): string[] {
  const groups = new Map<string, { failure: FuzzFailure; count: number }>();
  for (const failure of result.failures) {
    const key = `${failure.operationId} | ${failure.mutation} | ${failure.reason}`;
    const group = groups.get(key);
    if (group) group.count += 1;
    else groups.set(key, { failure, count: 1 });
  }
  return [...groups.entries()].map(
    ([key, { failure, count }]) =>
      `${key} | ×${count} | seed ${result.seed} | e.g. ${failure.request.method} ${failure.request.path.slice(0, 120)}${failure.request.body !== undefined ? ` body ${failure.request.body.slice(0, 120)}` : ''}`,
  );
}

// ---------------------------------------------------------------------------------------------
// Running

/** FNV-1a over the operation id, mixed with the run seed: each operation's own reproducible stream. */
function operationSeed(seed: number, operationId: string): number {
  let hash = 0x811c9dc5 ^ seed;
  for (const char of operationId) hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193);
  return hash | 0;
}

/**
 * Every operationId a document publishes. A fuzz spec compares what it fuzzed with these, rather
 * than with a count that the next route makes wrong and that a route skipped by mistake keeps right.
 */
export function publishedOperationIds(document: unknown): string[] {
  const paths = (document as { paths?: Record<string, Record<string, { operationId?: unknown }>> }).paths ?? {};
  return Object.values(paths)
    .flatMap((pathItem) => Object.values(pathItem).map((operation) => operation?.operationId))
    .filter((operationId): operationId is string => typeof operationId === 'string')
    .sort();
}

export async function fuzzOpenApi(options: FuzzOptions): Promise<FuzzResult> {
  const seed = options.seed ?? Math.floor(Math.random() * 0x7fffffff);
  const runs = options.runs ?? 100;
  const maxFailures = options.maxFailures ?? 500;
  const { operations, resolve } = readOperations(options.document);
  const context: Context = { resolve, knownValues: options.knownValues ?? {} };
  const result: FuzzResult = {
    seed,
    cases: 0,
    byStatus: {},
    byOperation: {},
    failures: [],
  };

  for (const operation of operations) {
    const described: FuzzOperation = {
      operationId: operation.operationId,
      method: operation.method,
      path: operation.path,
    };
    if (options.filter && !options.filter(described)) continue;
    const authNames = Object.keys((await options.authHeaders?.(described)) ?? {}).map((name) => name.toLowerCase());
    const cases = fc.sample(caseArbitrary(operation, context, authNames), {
      seed: operationSeed(seed, operation.operationId),
      numRuns: runs,
    });
    const counts: Record<number, number> = (result.byOperation[operation.operationId] = {});
    for (const generated of cases) {
      const auth = Object.fromEntries(
        Object.entries((await options.authHeaders?.(described)) ?? {}).map(([name, value]) => [name.toLowerCase(), value]),
      );
      const request = generated.build(auth);
      result.cases += 1;
      let status: number | null = null;
      let reason: string | undefined;
      try {
        const response = await options.send(request);
        status = response.status;
        reason = judgeResponse(response);
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        reason = `no answer (${typeof code === 'string' ? code : (error as Error).name})`;
      }
      const key = status ?? 0;
      result.byStatus[key] = (result.byStatus[key] ?? 0) + 1;
      counts[key] = (counts[key] ?? 0) + 1;
      if (reason !== undefined && result.failures.length < maxFailures)
        result.failures.push({
          operationId: operation.operationId,
          mutation: generated.mutation,
          request: redactRequest(request),
          status,
          reason,
        });
    }
  }
  return result;
}

/**
 * Cases per operation and seed for a spec: `FUZZ_RUNS` (default `defaultRuns`, sized for CI) and
 * `FUZZ_SEED` (to re-run a reported seed), validated so a typo cannot silently run nothing.
 */
export function fuzzBudget(defaultRuns: number, environment: Record<string, string | undefined> = process.env): { runs: number; seed?: number } {
  const integer = (name: string, min: number) => {
    const text = environment[name];
    if (text === undefined || text === '') return undefined;
    if (!/^-?\d+$/.test(text) || Number(text) < min) throw new Error(`${name} must be an integer of at least ${min}, got "${text}"`);
    return Number(text);
  };
  const seed = integer('FUZZ_SEED', -0x80000000);
  return {
    runs: integer('FUZZ_RUNS', 1) ?? defaultRuns,
    ...(seed !== undefined ? { seed } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Senders

/** Sends through Fastify's `inject` (no socket): what the per-service CI specs use. */
export function injectSender(app: {
  inject(options: { method: string; url: string; headers: Record<string, string>; payload?: string }): PromiseLike<{
    statusCode: number;
    headers: FuzzResponse['headers'];
    body: string;
  }>;
}): FuzzSend {
  return async (request) => {
    const response = await app.inject({
      method: request.method,
      url: request.path,
      headers: request.headers,
      ...(request.body !== undefined ? { payload: request.body } : {}),
    });
    return {
      status: response.statusCode,
      headers: response.headers,
      body: response.body,
    };
  };
}

/**
 * Sends over real HTTP to `origin` (e.g. `http://127.0.0.1:3001`) with node:http, so the path goes
 * out byte for byte (a URL parser would resolve `..` and re-encode). No answer within `timeoutMs`
 * is a failure.
 */
export function httpSender(origin: string, timeoutMs = 10_000): FuzzSend {
  const base = new URL(origin);
  const send = base.protocol === 'https:' ? httpsRequest : httpRequest;
  return (fuzzRequest) =>
    new Promise<FuzzResponse>((resolve, reject) => {
      const body = fuzzRequest.body === undefined ? undefined : Buffer.from(fuzzRequest.body, 'utf8');
      const outgoing = send(
        {
          protocol: base.protocol,
          hostname: base.hostname,
          port: base.port,
          method: fuzzRequest.method,
          path: fuzzRequest.path,
          headers: {
            ...fuzzRequest.headers,
            ...(body ? { 'content-length': String(body.length) } : {}),
          },
          timeout: timeoutMs,
          agent: false,
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () =>
            resolve({
              status: response.statusCode ?? 0,
              headers: response.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
        },
      );
      outgoing.on('timeout', () => outgoing.destroy(Object.assign(new Error('no answer in time'), { code: 'ETIMEDOUT' })));
      outgoing.on('error', reject);
      outgoing.end(body);
    });
}
