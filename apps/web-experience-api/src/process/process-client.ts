import { HttpOnboardingProcessClient } from '@bartholomew/clients-onboarding-process';
import type { WebExperienceConfig } from '../config';
import type { OnboardingProcess } from './onboarding-process';

/**
 * Retries of idempotent calls (reads): one retry, soon. A user in the browser waits for the
 * answer, so a down Process API must turn into a 503 (or a stale answer) within about
 * 2 × PROCESS_TIMEOUT_MS, never the client core's default three attempts.
 */
const RETRY = { attempts: 2, baseDelayMs: 100, maxDelayMs: 500 };

/** The Process API's typed client, configured from this service's environment. */
export function processClientFrom(config: WebExperienceConfig): OnboardingProcess {
  return new HttpOnboardingProcessClient({
    baseUrl: config.ONBOARDING_PROCESS_URL,
    credential: { callerName: 'web-experience-api', secret: config.SERVICE_CREDENTIAL_SECRET },
    timeoutMs: config.PROCESS_TIMEOUT_MS,
    breaker: { resetTimeoutMs: config.PROCESS_BREAKER_RESET_MS, volumeThreshold: config.PROCESS_BREAKER_VOLUME },
    retry: RETRY,
  });
}
