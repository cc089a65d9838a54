import { Type, type Static, type TSchema, type TUnsafe } from '@sinclair/typebox';

/**
 * A `$ref` to a named schema that keeps the schema's static type. The non-deprecated TypeBox 0.34
 * spelling of `Type.Ref(schema)`: routes and lists point at the one `$id`-named definition, so
 * OpenAPI shows a component instead of an inlined copy.
 */
export function schemaRef<T extends TSchema>(schema: T): TUnsafe<Static<T>> {
  if (typeof schema.$id !== 'string') throw new Error('only a schema with an $id can be referenced');
  return Type.Unsafe<Static<T>>(Type.Ref(schema.$id));
}
