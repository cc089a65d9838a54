import type { ResourceNames, ServiceNames } from '../names.ts';

/** libs/contracts/<api>: the resource's schemas, its problem codes, the named-schema list. */
export function systemContractFiles(n: ServiceNames, r: ResourceNames): Record<string, string> {
  return {
    [`src/${r.plural}.ts`]: `import { Type, type Static } from '@sinclair/typebox';
import { IdSchema, ref as schemaRef } from '@bartholomew/contracts-shared';

/** What people call a ${r.words}: 1–100 characters, not only spaces. */
export const ${r.pascal}NameSchema = Type.String({ minLength: 1, maxLength: 100, pattern: '\\\\S', examples: ['Main ${r.words}'] });

/** A ${r.words} of a customer, as the ${n.title} holds it. \`customerId\` is the account System API's id, opaque here. */
export const ${r.pascal}Schema = Type.Object(
  {
    ${r.camel}Id: IdSchema,
    customerId: IdSchema,
    name: ${r.pascal}NameSchema,
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: '${r.pascal}', additionalProperties: false },
);
export type ${r.pascal} = Static<typeof ${r.pascal}Schema>;

export const ${r.pascal}ListSchema = Type.Object({ items: Type.Array(schemaRef(${r.pascal}Schema)) }, { $id: '${r.pascal}List', additionalProperties: false });
export type ${r.pascal}List = Static<typeof ${r.pascal}ListSchema>;

export const Create${r.pascal}RequestSchema = Type.Object(
  { customerId: IdSchema, name: ${r.pascal}NameSchema },
  { $id: 'Create${r.pascal}Request', additionalProperties: false },
);
export type Create${r.pascal}Request = Static<typeof Create${r.pascal}RequestSchema>;

export const ${r.pascal}ParamsSchema = Type.Object({ ${r.camel}Id: IdSchema });
export type ${r.pascal}Params = Static<typeof ${r.pascal}ParamsSchema>;

export const ${r.pascalPlural}ByCustomerQuerySchema = Type.Object({ customerId: IdSchema }, { additionalProperties: false });
export type ${r.pascalPlural}ByCustomerQuery = Static<typeof ${r.pascalPlural}ByCustomerQuerySchema>;
`,
    'src/problem-codes.ts': `/**
 * The stable \`code\`s of the ${n.title}'s problem answers, besides the platform's own
 * (VALIDATION_FAILED, UNAUTHENTICATED_CALLER, IDEMPOTENCY_KEY_REUSED, ...). Callers branch on
 * these, never on titles or details.
 */
export const ${n.pascal}ProblemCode = {
  ${r.constant}_NOT_FOUND: '${r.constant}_NOT_FOUND',
} as const;
export type ${n.pascal}ProblemCode = (typeof ${n.pascal}ProblemCode)[keyof typeof ${n.pascal}ProblemCode];
`,
    'src/index.ts': `import { Create${r.pascal}RequestSchema, ${r.pascal}ListSchema, ${r.pascal}Schema } from './${r.plural}';

export * from './${r.plural}';
export * from './problem-codes';
export { ref as schemaRef } from '@bartholomew/contracts-shared';

/**
 * Every named (\`$id\`) schema of the contract: the server registers them with the platform, the
 * client gives them to its response validator, so \`$ref\`s resolve on both sides.
 */
export const ${n.camel}Schemas = [${r.pascal}Schema, ${r.pascal}ListSchema, Create${r.pascal}RequestSchema] as const;
`,
    'src/contract.spec.ts': `import { FormatRegistry } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { Create${r.pascal}RequestSchema, ${n.camel}Schemas } from './index';

// TypeBox knows no formats by itself; the ids' pattern is what is checked (see IdSchema).
if (!FormatRegistry.Has('uuid')) FormatRegistry.Set('uuid', () => true);

const request = { customerId: '5f0c8a9e-4a8e-4e7b-9d3c-3f1d2b6a7c10', name: 'Main ${r.words}' };

describe('${n.title} contract', () => {
  it('accepts a well-formed create request', () => {
    expect(Value.Check(Create${r.pascal}RequestSchema, request)).toBe(true);
  });

  it.each([
    ['a blank name', { name: '   ' }],
    ['a name of 101 characters', { name: 'x'.repeat(101) }],
    ['a customer id that is not a canonical UUID', { customerId: 'urn:uuid:5f0c8a9e-4a8e-4e7b-9d3c-3f1d2b6a7c10' }],
    ['an unknown field', { nickname: 'rainy day' }],
  ])('refuses %s', (_label, change) => {
    expect(Value.Check(Create${r.pascal}RequestSchema, { ...request, ...change })).toBe(false);
  });

  it('names every shared schema with a distinct $id', () => {
    const ids = ${n.camel}Schemas.map((schema) => schema.$id);
    expect(ids.every((id) => typeof id === 'string')).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
`,
  };
}
