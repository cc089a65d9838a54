export { allowedOriginsOf, browserCors, BrowserOriginsConfigProperties, PREFLIGHT_MAX_AGE_S, type BrowserOriginsConfig } from './browser-cors';
export {
  CATALOGUE_CACHE_CONTROL,
  PRIVATE_DATA_CACHE_CONTROL,
  conditionalReads,
  entityTag,
  ifNoneMatchHolds,
  markStale,
  withStaleMarker,
} from './conditional-reads';
export * from './errors';
export { LastGoodAnswers } from './last-good-answers';
export { RecentReads } from './recent-reads';
export { ownerSubject } from './owner-subject';
export { holdUntil, preferredWaitSeconds, WAIT_ANSWER_MARGIN_MS } from './wait-preference';
export type { EndUserCall, OnboardingProcess, ProcessOperation } from './process/onboarding-process';
export { processClientFrom } from './process/process-client';
export { ExperienceConfigProperties, type ExperienceConfig } from './process/process-config';
export { ProcessFacade } from './process/process-facade';
export { onboardingProcess, type ProcessPluginOptions } from './process/process-plugin';
export { PROCESS_REFUSALS, translateRefusal, type FieldPointerMap, type RefusedCall } from './process/process-refusals';
