import type { EndUserCallOptions, OnboardingProcessClient } from '@bartholomew/clients-onboarding-process';

/**
 * What this API needs from the onboarding Process API — the only API it calls — is exactly its
 * typed client's interface. Named here so tests can substitute it (the `process` option of the
 * app) without this service knowing any other way to reach the Process API.
 * Errors are the client's: `DownstreamRejected` (4xx with the problem `code`),
 * `DownstreamUnavailable` / `DownstreamTimeout` (down, 5xx, timeout, breaker open).
 */
export type OnboardingProcess = OnboardingProcessClient;

/** Every call is made for one end user (the verified token subject) within one request. */
export type EndUserCall = EndUserCallOptions;
