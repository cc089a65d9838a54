/**
 * Why an ACH verifier gave no answer. REVIEW: a plain class, like the KYC errors, because it is
 * handled by the workflow (retry the step later), not rendered as an HTTP answer; it still carries
 * `code` + `statusCode` for the platform error handler.
 */
export class AchVerifierUnavailable extends Error {
  readonly code = 'ACH_VERIFIER_UNAVAILABLE';
  readonly statusCode = 503;
  /** The same verification may succeed later: retry with backoff. */
  readonly transient = true;
  readonly verifier: string;

  constructor(verifier: string, options?: { cause?: unknown }) {
    super(`ACH verifier ${verifier} is unavailable`, options);
    this.name = 'AchVerifierUnavailable';
    this.verifier = verifier;
  }
}
