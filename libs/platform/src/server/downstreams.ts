export type BreakerState = 'closed' | 'open' | 'halfOpen';

/** What the platform needs to know about an outbound client for health and metrics. */
export interface DownstreamHealth {
  readonly name: string;
  breakerState(): BreakerState;
}

/** The outbound clients a service uses; filled by the service as it creates them. */
export class DownstreamRegistry {
  private readonly downstreams = new Map<string, DownstreamHealth>();

  add(downstream: DownstreamHealth): void {
    this.downstreams.set(downstream.name, downstream);
  }

  list(): DownstreamHealth[] {
    return [...this.downstreams.values()];
  }
}
