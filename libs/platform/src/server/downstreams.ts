import type { DownstreamHealth } from '../shared/downstream-health';

export type { BreakerState, DownstreamHealth } from '../shared/downstream-health';

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
