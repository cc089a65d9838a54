/**
 * What the server platform reads from an outbound client (for `/health/ready` and `/metrics`) and
 * what every client in the http-client core offers: types only, shared by both halves.
 */

export type BreakerState = 'closed' | 'open' | 'halfOpen';

/** What the platform needs to know about an outbound client for health and metrics. */
export interface DownstreamHealth {
  readonly name: string;
  breakerState(): BreakerState;
}
