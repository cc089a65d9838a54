/** KYC: the provider port, its deterministic sandbox and the HTTP adapter for a real vendor. */
export * from './kyc-provider';
export * from './kyc-errors';
export { SandboxKycProvider, SandboxKycTestSsn, type SandboxKycProviderOptions } from './sandbox-kyc-provider';
export { HttpKycProvider, type HttpKycProviderOptions } from './http-kyc-provider';
export { SANDBOX_WATCH_LIST, type WatchListEntry } from './watch-list';
export { DEFAULT_SCREENING_THRESHOLDS, screenName, type ScreeningResult, type ScreeningThresholds } from './watch-list-screening';
export { nameSimilarity } from './name-matching';
