import { Type, type Static, type TObject } from '@sinclair/typebox';
import { EndUserAuthConfigSchema, ServiceConfigSchema } from '@bartholomew/platform';

const milliseconds = (defaultValue: number, minimum: number, maximum: number, description: string) =>
  Type.Integer({ minimum, maximum, default: defaultValue, description });

/**
 * The variables every Experience API reads, as TypeBox properties to spread into its own config
 * schema: the platform's, end-user token settings (issuer, audience, keys), and the one API it
 * calls — the onboarding Process API — with its own outbound credential, breaker and degraded
 * mode. Names match what tools/start-stack.mjs passes.
 */
export const ExperienceConfigProperties = {
  ...ServiceConfigSchema.properties,
  ...EndUserAuthConfigSchema.properties,

  ONBOARDING_PROCESS_URL: Type.String({
    pattern: '^https?://',
    default: 'http://127.0.0.1:3201',
  }),
  SERVICE_CREDENTIAL_SECRET: Type.String({
    pattern: '^[^,:\\s]{16,}$',
    description: "This service's outbound secret; the Process API knows it as <service name>:experience:<secret>",
  }),
  PROCESS_TIMEOUT_MS: milliseconds(2_000, 100, 60_000, 'Time budget of one call to the Process API'),
  PROCESS_BREAKER_RESET_MS: milliseconds(
    2_000,
    100,
    600_000,
    'How long an open circuit breaker waits before a trial call (a recovered Process API is used again within seconds)',
  ),
  PROCESS_BREAKER_VOLUME: Type.Integer({
    minimum: 1,
    maximum: 1000,
    default: 10,
    description: 'Calls in the window before the breaker may open',
  }),

  // A user's identical reads share one call to the Process API, and its answer for a moment.
  READ_CACHE_MS: milliseconds(
    1_000,
    0,
    60_000,
    "How long a user's answer from the Process API serves that same user's identical reads (0: every read asks); their own writes clear it",
  ),
  READ_CACHE_MAX_USERS: Type.Integer({
    minimum: 0,
    maximum: 1_000_000,
    default: 10_000,
    description: 'Users whose recent reads are kept in memory (least recently active go first)',
  }),

  // Last good answers, served marked stale while the Process API is unavailable.
  STALE_MAX_AGE_MS: milliseconds(15 * 60_000, 0, 24 * 3_600_000, 'Oldest last-good answer still served when the Process API is down (0: never)'),
  STALE_MAX_ENTRIES: Type.Integer({
    minimum: 0,
    maximum: 1_000_000,
    default: 10_000,
    description: 'Last-good answers kept in memory',
  }),
  UNAVAILABLE_RETRY_AFTER_S: Type.Integer({
    minimum: 1,
    maximum: 3600,
    default: 5,
    description: 'Retry-After of a 503 when the Process API gave none',
  }),
};

/** What the kit reads of an Experience API's config (each API's own config has more). */
export type ExperienceConfig = Static<TObject<typeof ExperienceConfigProperties>>;
