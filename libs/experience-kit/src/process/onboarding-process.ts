import type { EndUserCallOptions, OnboardingProcessClient } from '@bartholomew/clients-onboarding-process';
import type { DownstreamHealth } from '@bartholomew/platform';

/**
 * What an Experience API needs from the onboarding Process API — the only API it calls — is
 * exactly its typed client's interface. Named here so tests can substitute it (the `process`
 * option of each app) without the app knowing any other way to reach the Process API.
 * Errors are the client's: `DownstreamRejected` (4xx with the problem `code`),
 * `DownstreamUnavailable` / `DownstreamTimeout` (down, 5xx, timeout, breaker open).
 */
export type OnboardingProcess = OnboardingProcessClient;

/** The calls an Experience API makes (everything but health and `close`). */
export type ProcessOperation = Exclude<keyof OnboardingProcess, keyof DownstreamHealth | 'close'>;

/** Every call is made for one end user (the verified token subject) within one request. */
export type EndUserCall = EndUserCallOptions;
