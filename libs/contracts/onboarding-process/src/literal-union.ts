import { Type, type SchemaOptions, type TLiteral, type TUnion } from '@sinclair/typebox';

/**
 * The schema of one of the values of an `as const` object, e.g. `literalUnion(OnboardingStatus)`:
 * the object stays the single list of names, the schema and the static type follow from it.
 */
export function literalUnion<const T extends Record<string, string>>(values: T, options?: SchemaOptions): TUnion<TLiteral<T[keyof T]>[]> {
  const literals = Object.values(values).map((value) => Type.Literal(value as T[keyof T]));
  return Type.Union(literals, options);
}
