import { Type, type Static, type TSchema, type TUnsafe } from '@sinclair/typebox';

/**
 * A `$ref` to a shared schema that keeps the referenced schema's static type. TypeBox 0.34
 * deprecated `Type.Ref(schema)`; this is its documented replacement. The schema itself must be
 * registered where the reference is resolved (the platform's `schemas`, the client's `schemas`).
 */
export function ref<T extends TSchema>(schema: T): TUnsafe<Static<T>> {
  if (typeof schema.$id !== 'string') throw new TypeError('only a schema with an $id can be referenced');
  return Type.Unsafe<Static<T>>(Type.Ref(schema.$id));
}
