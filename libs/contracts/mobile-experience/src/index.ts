import { Type, type TSchema } from '@sinclair/typebox';
import { AccountDetailSchema, BillingSchema, HomeSchema } from './banking';
import { ProductCatalogueSchema } from './products';
import {
  ConfirmDepositsRequestSchema,
  NewAccountFormSchema,
  NextStepAnswerSchema,
  NextStepSchema,
  OnboardingFormSchema,
  nextStepVariantSchemas,
} from './onboarding';

/**
 * The mobile Experience API's contract: compact shapes for the phone's screens, shared by the
 * server's routes and the React Native client (which imports types only).
 */
export * from './banking';
export * from './onboarding';
export * from './problem-codes';
export * from './products';

/** Headers of the stale answers and of every read (for the app and its HTTP cache). */
export const STALE_HEADER = 'x-stale';

/** `304 Not Modified`: the copy the app holds (its `ETag`) is still current. */
export const NotModifiedSchema = Type.Null({ description: 'Not modified: the ETag sent in If-None-Match is still current' });

/** Routes that take no query parameters refuse unknown ones (400) instead of ignoring them. */
export const NoQuerySchema = Type.Object({}, { additionalProperties: false });

/** Every named (`$id`) schema: registered with the platform so routes can `$ref` them. */
export const mobileExperienceSchemas: readonly TSchema[] = [
  OnboardingFormSchema,
  NewAccountFormSchema,
  NextStepAnswerSchema,
  ...nextStepVariantSchemas,
  NextStepSchema,
  ConfirmDepositsRequestSchema,
  HomeSchema,
  AccountDetailSchema,
  BillingSchema,
  ProductCatalogueSchema,
];
