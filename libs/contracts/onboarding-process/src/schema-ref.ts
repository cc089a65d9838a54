import {
  Type,
  type Static,
  type TSchema,
  type TUnsafe,
} from '@sinclair/typebox';

/**
 * A `$ref` to a named schema that keeps the schema's static type (the non-deprecated TypeBox 0.34
 * spelling of `Type.Ref(schema)`). The referenced schema must be registered where the reference is
 * resolved: the platform's `schemas`, the client's validator, or `Value.Check(schema, references, value)`.
 */
export function ref<T extends TSchema>(schema: T): TUnsafe<Static<T>> {
  if (typeof schema.$id !== 'string')
    throw new TypeError('only a schema with an $id can be referenced');
  return Type.Unsafe<Static<T>>(Type.Ref(schema.$id));
}
