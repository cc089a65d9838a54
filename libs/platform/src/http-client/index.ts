/** Resilient HTTP client core shared by every typed client in `libs/clients/*`. */
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
