/**
 * `@bartholomew/platform/server`: what a service's `app.ts` and `main.ts` use — config, the platform
 * plugin, errors as problem+json, auth, idempotent writes, start-up and shutdown.
 */
export { ConfigError, ServiceConfigSchema, loadConfig, type ServiceConfig } from './config';
export type { ReadinessCheck } from './health';
export { DownstreamRegistry, type BreakerState, type DownstreamHealth } from './downstreams';
export {
  IDEMPOTENCY_KEYS_TABLE_SQL,
  IDEMPOTENT_REPLAYED_HEADER,
  IDEMPOTENT_REPLY,
  IdempotencyKeyReused,
  IdempotentRequestInProgress,
  fingerprintRequest,
  sendIdempotentReply,
  withIdempotency,
  type IdempotencyOptions,
  type IdempotentResult,
} from './idempotency';
export { REDACTED, createLogScrubber, scrubLogObject, type LogScrubber } from './log-redaction';
export { PiiVault } from './pii-vault';
export { platform, type PlatformOptions } from './platform-plugin';
export { PROBLEM_CONTENT_TYPE, buildProblem, problemType, sendProblem } from './problem-details';
export { loggableUrl, requestIdFrom, serviceServerOptions, trustProxyFrom, type ServerOptionsOverrides } from './server-options';
export { CallerDirectory, CallerLayer, SERVICE_CREDENTIAL_HEADER, serviceCredential, type Caller } from './service-credentials';
export type { ServiceDescription } from './service-description';
export { startService } from './start-service';
export { EndUserAuthConfigSchema, endUserAuth, type EndUser, type EndUserAuthConfig } from './end-user-auth';
export { TIME_BUDGET_HEADER, currentDeadline, withDeadline } from './time-budget';
export { maskLastFour } from '../pii/mask';
