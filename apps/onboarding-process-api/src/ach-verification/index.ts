/** ACH verification: the verifier port, the micro-deposit check and the deterministic sandbox. */
export * from './ach-verifier';
export { AchVerifierUnavailable } from './ach-errors';
export {
  SANDBOX_FIXED_MICRO_DEPOSITS,
  SANDBOX_INSTANT_ROUTING_NUMBER,
  SandboxAchTestAccountSuffix,
  SandboxAchVerifier,
  type RandomInt,
  type SandboxAchVerifierOptions,
} from './sandbox-ach-verifier';
