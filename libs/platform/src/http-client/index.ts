/**
 * `@bartholomew/platform/http-client`: the resilient HTTP client core shared by every typed client in
 * `libs/clients/*`. Loads without the server half (no fastify, no pg): what both halves need lives in
 * `../shared`, and lint refuses an import of `../server` or `../db` from this folder.
 */
export {
  ServiceClientCore,
  TypedServiceClient,
  urlPath,
  signalsOutage,
  DEFAULT_BREAKER,
  DEFAULT_TIMEOUT_MS,
  type BreakerOptions,
  type DownstreamCall,
  type DownstreamCounters,
  type DownstreamResponse,
  type HttpMethod,
  type Query,
  type QueryValue,
  type ResponseSchemas,
  type ServiceClientCoreOptions,
  type ServiceCredentialOptions,
  type SuccessStatus,
} from './service-client-core';
export {
  DownstreamError,
  DownstreamUnavailable,
  DownstreamTimeout,
  DownstreamRejected,
  DownstreamContractViolation,
  type ContractIssue,
  type DownstreamProblem,
  type UnavailableReason,
} from './errors';
export { ResponseValidator } from './response-validation';
export { DEFAULT_RETRY, backoffDelayMs, isRepeatable, parseRetryAfterMs, type RetryOptions } from './retry-policy';
export type { BreakerState, DownstreamHealth } from '../shared/downstream-health';
