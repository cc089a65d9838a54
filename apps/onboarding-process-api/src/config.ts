import { Type, type Static } from '@sinclair/typebox';
import { ServiceConfigSchema } from '@bartholomew/platform/server';
import { OnboardingStepName } from '@bartholomew/contracts-onboarding-process';

const milliseconds = (defaultValue: number, minimum: number, maximum: number, description: string) =>
  Type.Integer({ minimum, maximum, default: defaultValue, description });

/**
 * The onboarding Process API's environment: the platform's variables, the two System APIs it
 * calls (with its own outbound service credential), the workflow worker's tuning, and SMTP.
 * Names match what tools/start-stack.mjs passes.
 */
export const OnboardingConfigSchema = Type.Object({
  ...ServiceConfigSchema.properties,
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3201 }),

  // Downstreams, called only through their clients in libs/clients.
  ACCOUNT_SYSTEM_URL: Type.String({ pattern: '^https?://', default: 'http://127.0.0.1:3101' }),
  BILLING_SYSTEM_URL: Type.String({ pattern: '^https?://', default: 'http://127.0.0.1:3102' }),
  SERVICE_CREDENTIAL_SECRET: Type.String({
    pattern: '^[^,:\\s]{16,}$',
    description: "This service's own outbound secret; the System APIs know it as onboarding-process-api:process:<secret>",
  }),
  DOWNSTREAM_TIMEOUT_MS: milliseconds(2_000, 100, 60_000, 'Time budget of one call to a System API'),
  DOWNSTREAM_BREAKER_RESET_MS: milliseconds(
    2_000,
    100,
    600_000,
    'How long an open circuit breaker waits before a trial call (a recovered System API is used again within seconds)',
  ),

  // The workflow worker (graphile-worker in this service's own database).
  WORKFLOW_WORKER_ENABLED: Type.Boolean({ default: true, description: 'false: serve the API only; another replica runs the steps' }),
  WORKFLOW_CONCURRENCY: Type.Integer({
    minimum: 1,
    maximum: 64,
    default: 4,
    description:
      'Steps run at once by this replica. More finish more onboardings under load (2 cores, 32 in flight: 4 -> 4.3/s, 24 -> 11.4-11.9/s), but each idle worker polls the queue every WORKFLOW_POLL_INTERVAL_MS, which costs everyone else',
  }),
  WORKFLOW_POLL_INTERVAL_MS: milliseconds(
    500,
    50,
    60_000,
    'How often scheduled work (retries, expiries, a step queued behind the one that just ran) is looked for',
  ),
  STEP_RETRY_BASE_MS: milliseconds(1_000, 10, 600_000, 'First backoff of a step after a transient fault; doubles per attempt'),
  STEP_RETRY_MAX_MS: milliseconds(60_000, 10, 3_600_000, 'Longest backoff between two attempts of a step'),
  WORKER_SWEEP_INTERVAL_MS: milliseconds(
    1_000,
    100,
    60_000,
    'How often this replica looks for worker pools that died (their jobs are released at once)',
  ),
  WORKER_LOCK_STALE_MS: milliseconds(
    30_000,
    500,
    3_600_000,
    'Jobs locked by a worker pool that never registered its session are released once its newest lock is this old',
  ),

  // KYC provider: the deterministic sandbox (default) or a vendor over HTTP.
  KYC_PROVIDER: Type.Union([Type.Literal('sandbox'), Type.Literal('http')], { default: 'sandbox' }),
  KYC_HTTP_URL: Type.Optional(Type.String({ pattern: '^https?://', description: 'Vendor API root; required when KYC_PROVIDER=http' })),
  KYC_HTTP_API_KEY: Type.Optional(Type.String({ minLength: 8, description: 'Vendor API key; required when KYC_PROVIDER=http' })),
  KYC_TIMEOUT_MS: milliseconds(10_000, 100, 120_000, 'Time budget of one KYC check'),

  // ACH verification (sandbox with micro-deposits) and the micro-deposit rules.
  MICRO_DEPOSIT_EXPIRY_MS: milliseconds(7 * 24 * 3_600_000, 1_000, 30 * 24 * 3_600_000, 'How long the applicant has to confirm'),
  MICRO_DEPOSIT_MAX_ATTEMPTS: Type.Integer({ minimum: 1, maximum: 10, default: 3 }),

  // Welcome email.
  SMTP_URL: Type.Optional(Type.String({ pattern: '^smtps?://', description: 'e.g. smtp://user:pass@mail:587; unset: .eml files in DATA_DIR' })),
  MAIL_FROM: Type.String({ minLength: 3, default: 'Bartholomew Capital <welcome@bartholomew.capital>' }),
  MAIL_MESSAGE_ID_DOMAIN: Type.String({ pattern: '^[a-z0-9.-]+$', default: 'onboarding.bartholomew.capital' }),

  // Fault injection for the crash-recovery tests: the process SIGKILLs itself at a chosen point.
  ONBOARDING_CRASH_AFTER_STEP: Type.Optional(
    Type.Union(
      Object.values(OnboardingStepName).map((name) => Type.Literal(name)),
      {
        description: 'TEST ONLY: SIGKILL this process right after the named step is committed',
      },
    ),
  ),
  ONBOARDING_CRASH_BEFORE_COMMIT: Type.Optional(
    Type.Union(
      Object.values(OnboardingStepName).map((name) => Type.Literal(name)),
      {
        description: 'TEST ONLY: SIGKILL this process after the named step did its downstream writes, before it commits (a lost answer)',
      },
    ),
  ),
});
export type OnboardingConfig = Static<typeof OnboardingConfigSchema>;
