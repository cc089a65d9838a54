import { Type, type Static } from '@sinclair/typebox';
import { ServiceConfigSchema } from '@bartholomew/platform/server';

/** The account System API reads only the platform's variables; its port defaults to 3101. */
export const AccountSystemConfigSchema = Type.Object({
  ...ServiceConfigSchema.properties,
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3101 }),
});
export type AccountSystemConfig = Static<typeof AccountSystemConfigSchema>;
