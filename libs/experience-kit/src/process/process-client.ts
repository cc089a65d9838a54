import { HttpOnboardingProcessClient } from '@bartholomew/clients-onboarding-process';
import type { ExperienceConfig } from './process-config';
import type { OnboardingProcess } from './onboarding-process';

/**
 * Retries of idempotent calls (reads, keyed sign-ups): one retry, soon. A user on the phone or in
 * the browser waits for the answer, so a down Process API must turn into a 503 (or a stale answer)
 * within about 2 × PROCESS_TIMEOUT_MS, never the client core's default three attempts.
 */
const RETRY = { attempts: 2, baseDelayMs: 100, maxDelayMs: 500 };

/** The Process API's typed client, configured from an Experience API's environment; `callerName` is the service's own name. */
export function processClientFrom(config: ExperienceConfig, callerName: string): OnboardingProcess {
  return new HttpOnboardingProcessClient({
    baseUrl: config.ONBOARDING_PROCESS_URL,
    credential: { callerName, secret: config.SERVICE_CREDENTIAL_SECRET },
    timeoutMs: config.PROCESS_TIMEOUT_MS,
    breaker: {
      resetTimeoutMs: config.PROCESS_BREAKER_RESET_MS,
      volumeThreshold: config.PROCESS_BREAKER_VOLUME,
    },
    retry: RETRY,
  });
}
