import { Type, type TSchema } from '@sinclair/typebox';
import { CustomerOverviewViewSchema, TransactionPageViewSchema } from './customer';
import { AccountApplicationFormSchema, ApplicationListSchema, ApplicationSchema } from './onboarding';
import { ProductCatalogueViewSchema } from './products';

/**
 * The web Experience API's contract: richer views for web banking over the same Process API the
 * mobile app uses.
 */
export * from './customer';
export * from './onboarding';
export * from './problem-codes';
export * from './products';

export const STALE_HEADER = 'x-stale';

/** `304 Not Modified`: the copy the browser holds (its `ETag`) is still current. */
export const NotModifiedSchema = Type.Null({ description: 'Not modified: the ETag sent in If-None-Match is still current' });

/** Routes that take no query parameters refuse unknown ones (400) instead of ignoring them. */
export const NoQuerySchema = Type.Object({}, { additionalProperties: false });

/** Every named (`$id`) schema: registered with the platform so routes can `$ref` them. */
export const webExperienceSchemas: readonly TSchema[] = [
  ApplicationSchema,
  ApplicationListSchema,
  AccountApplicationFormSchema,
  CustomerOverviewViewSchema,
  TransactionPageViewSchema,
  ProductCatalogueViewSchema,
];
