import type { Downstream } from '../downstream.ts';
import type { ServiceNames } from '../names.ts';

/** libs/contracts/<api>: the view an end user gets, and the header that marks a stale answer. */
export function experienceContractFiles(n: ServiceNames, process: Downstream): Record<string, string> {
  const r = process.resource;
  return {
    [`src/${r.kebab}-view.ts`]: `import { Type, type Static } from '@sinclair/typebox';
import { IdSchema } from '@bartholomew/contracts-shared';

/** Set (\`true\`) on an answer served from the last good one while the ${process.names.title} is unavailable. */
export const STALE_HEADER = 'x-stale';

/** A ${r.words} as the end user's app shows it. */
export const ${r.pascal}ViewSchema = Type.Object(
  {
    id: IdSchema,
    name: Type.String(),
    state: Type.Union([Type.Literal('done'), Type.Literal('not_possible')], { description: 'done: every step succeeded; not_possible: the bank refused it' }),
    startedAt: Type.String({ format: 'date-time' }),
    /** Present when this answer is the last good one, served while the bank's systems are unavailable. */
    stale: Type.Optional(Type.Literal(true)),
  },
  { $id: '${r.pascal}View', additionalProperties: false },
);
export type ${r.pascal}View = Static<typeof ${r.pascal}ViewSchema>;

export const ${r.pascal}ViewParamsSchema = Type.Object({ ${r.camel}Id: IdSchema });
`,
    'src/problem-codes.ts': `/**
 * The stable \`code\`s of the ${n.title}'s own problem answers, besides the platform's and the
 * experience kit's (UNAUTHENTICATED, RATE_LIMITED, SERVICE_UNAVAILABLE, ...). Apps branch on these,
 * never on titles or details.
 */
export const ${n.pascal}ProblemCode = {
  /** Also the answer for another user's ${r.words}: no existence leak. */
  ${r.constant}_NOT_FOUND: '${r.constant}_NOT_FOUND',
} as const;
export type ${n.pascal}ProblemCode = (typeof ${n.pascal}ProblemCode)[keyof typeof ${n.pascal}ProblemCode];
`,
    'src/index.ts': `import { ${r.pascal}ViewSchema } from './${r.kebab}-view';

export * from './${r.kebab}-view';
export * from './problem-codes';
export { ref as schemaRef } from '@bartholomew/contracts-shared';

/** Every named (\`$id\`) schema of the contract, registered with the platform for \`$ref\`s. */
export const ${n.camel}Schemas = [${r.pascal}ViewSchema] as const;
`,
    'src/contract.spec.ts': `import { FormatRegistry } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { ${r.pascal}ViewSchema } from './index';

// TypeBox knows no formats by itself; the ids' pattern is what is checked (see IdSchema).
if (!FormatRegistry.Has('uuid')) FormatRegistry.Set('uuid', () => true);
if (!FormatRegistry.Has('date-time')) FormatRegistry.Set('date-time', (value) => !Number.isNaN(Date.parse(value)));

describe('${n.title} contract', () => {
  const view = { id: '5f0c8a9e-4a8e-4e7b-9d3c-3f1d2b6a7c10', name: 'Main', state: 'done', startedAt: '2026-01-31T10:00:00.000Z' };

  it('accepts a view, marked stale or not, and refuses an unknown state', () => {
    expect(Value.Check(${r.pascal}ViewSchema, view)).toBe(true);
    expect(Value.Check(${r.pascal}ViewSchema, { ...view, stale: true })).toBe(true);
    expect(Value.Check(${r.pascal}ViewSchema, { ...view, state: 'failed' })).toBe(false);
  });
});
`,
  };
}
