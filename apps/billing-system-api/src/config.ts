import { Type, type Static } from '@sinclair/typebox';
import { ServiceConfigSchema } from '@bartholomew/platform/server';

/** The billing System API's environment: the platform's variables, on its own port. */
export const BillingConfigSchema = Type.Object({
  ...ServiceConfigSchema.properties,
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3102 }),
});
export type BillingConfig = Static<typeof BillingConfigSchema>;
