import type { Downstream } from '../downstream.ts';
import type { ResourceNames, ServiceNames } from '../names.ts';

/** libs/contracts/<api>: what a caller starts and reads back, its problem codes, the named-schema list. */
export function processContractFiles(n: ServiceNames, r: ResourceNames, system: Downstream): Record<string, string> {
  const s = system.resource;
  return {
    [`src/${r.plural}.ts`]: `import { Type, type Static } from '@sinclair/typebox';
import { IdSchema, ref as schemaRef } from '@bartholomew/contracts-shared';

/** The header that names the end user an experience-layer caller acts for. */
export const END_USER_HEADER = 'x-end-user-subject';

/** A token subject: 1–200 visible ASCII characters (e.g. \`auth0|64f1c2…\`). */
export const EndUserSubjectSchema = Type.String({ pattern: '^[\\\\x21-\\\\x7E]{1,200}$', description: 'Subject of the end user the caller acts for' });

/** Headers of a start: the caller's Idempotency-Key, and the end user an Experience API acts for. */
export const Start${r.pascal}HeadersSchema = Type.Object({
  'idempotency-key': Type.String({ pattern: '^[A-Za-z0-9_.:-]{8,128}$' }),
  [END_USER_HEADER]: Type.Optional(EndUserSubjectSchema),
});

export const ReadHeadersSchema = Type.Object({ [END_USER_HEADER]: Type.Optional(EndUserSubjectSchema) });

export const ${r.pascal}Status = { completed: 'completed', failed: 'failed' } as const;
export type ${r.pascal}Status = (typeof ${r.pascal}Status)[keyof typeof ${r.pascal}Status];

/** A ${r.words}: what was asked, and what its steps did. */
export const ${r.pascal}Schema = Type.Object(
  {
    ${r.camel}Id: IdSchema,
    customerId: IdSchema,
    name: Type.String({ minLength: 1, maxLength: 100 }),
    status: Type.Union([Type.Literal(${r.pascal}Status.completed), Type.Literal(${r.pascal}Status.failed)]),
    /** The ${s.words} the first step created at the ${system.names.title}. */
    ${s.camel}Id: Type.Optional(IdSchema),
    /** Why the ${system.names.title} refused the first step (its problem code). */
    failureCode: Type.Optional(Type.String()),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: '${r.pascal}', additionalProperties: false },
);
export type ${r.pascal} = Static<typeof ${r.pascal}Schema>;

export const Start${r.pascal}RequestSchema = Type.Object(
  { customerId: IdSchema, name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\\\S' }) },
  { $id: 'Start${r.pascal}Request', additionalProperties: false },
);
export type Start${r.pascal}Request = Static<typeof Start${r.pascal}RequestSchema>;

export const ${r.pascal}ParamsSchema = Type.Object({ ${r.camel}Id: IdSchema });

export { schemaRef };
`,
    'src/problem-codes.ts': `/** The stable \`code\`s of the ${n.title}'s problem answers, besides the platform's own. */
export const ${n.pascal}ProblemCode = {
  ${r.constant}_NOT_FOUND: '${r.constant}_NOT_FOUND',
  END_USER_REQUIRED: 'END_USER_REQUIRED',
} as const;
export type ${n.pascal}ProblemCode = (typeof ${n.pascal}ProblemCode)[keyof typeof ${n.pascal}ProblemCode];
`,
    'src/index.ts': `import { ${r.pascal}Schema, Start${r.pascal}RequestSchema } from './${r.plural}';

export * from './${r.plural}';
export * from './problem-codes';

/** Every named (\`$id\`) schema of the contract, registered by the server and by the client's validator. */
export const ${n.camel}Schemas = [${r.pascal}Schema, Start${r.pascal}RequestSchema] as const;
`,
    'src/contract.spec.ts': `import { FormatRegistry } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { Start${r.pascal}HeadersSchema, Start${r.pascal}RequestSchema, ${n.camel}Schemas } from './index';

// TypeBox knows no formats by itself; the ids' pattern is what is checked (see IdSchema).
if (!FormatRegistry.Has('uuid')) FormatRegistry.Set('uuid', () => true);

describe('${n.title} contract', () => {
  it('accepts a well-formed start and refuses a blank name or an unknown field', () => {
    const request = { customerId: '5f0c8a9e-4a8e-4e7b-9d3c-3f1d2b6a7c10', name: 'Main' };
    expect(Value.Check(Start${r.pascal}RequestSchema, request)).toBe(true);
    expect(Value.Check(Start${r.pascal}RequestSchema, { ...request, name: ' ' })).toBe(false);
    expect(Value.Check(Start${r.pascal}RequestSchema, { ...request, extra: 1 })).toBe(false);
  });

  it('refuses an end-user subject with control characters', () => {
    expect(Value.Check(Start${r.pascal}HeadersSchema, { 'idempotency-key': 'key-12345678', 'x-end-user-subject': 'alice' })).toBe(true);
    expect(Value.Check(Start${r.pascal}HeadersSchema, { 'idempotency-key': 'key-12345678', 'x-end-user-subject': 'al\\nice' })).toBe(false);
  });

  it('names every shared schema with a distinct $id', () => {
    const ids = ${n.camel}Schemas.map((schema) => schema.$id);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
`,
  };
}
