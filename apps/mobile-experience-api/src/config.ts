import { Type, type Static } from '@sinclair/typebox';
import { ExperienceConfigProperties } from '@bartholomew/experience-kit';

/**
 * The mobile Experience API's environment: what every Experience API reads (the platform's variables,
 * end-user token settings, the onboarding Process API with this service's own outbound credential,
 * degraded mode — see experience-kit) and its own port. Names match what tools/start-stack.mjs passes.
 */
export const MobileExperienceConfigSchema = Type.Object({
  ...ExperienceConfigProperties,
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3301 }),
});
export type MobileExperienceConfig = Static<typeof MobileExperienceConfigSchema>;
