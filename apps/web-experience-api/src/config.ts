import { Type, type Static } from '@sinclair/typebox';
import { BrowserOriginsConfigProperties, ExperienceConfigProperties } from '@bartholomew/experience-kit';

/**
 * The web Experience API's environment: what every Experience API reads (the platform's variables,
 * end-user token settings, the onboarding Process API with this service's own outbound credential,
 * degraded mode — see experience-kit), the browser origins allowed to call it (web banking runs in a
 * browser on its own origin), and its own port. Names match what tools/start-stack.mjs passes.
 */
export const WebExperienceConfigSchema = Type.Object({
  ...ExperienceConfigProperties,
  ...BrowserOriginsConfigProperties,
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3302 }),
});
export type WebExperienceConfig = Static<typeof WebExperienceConfigSchema>;
