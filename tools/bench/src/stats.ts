/** The arithmetic of the report: percentiles of latency samples and sums over Prometheus counters. */

/** The p-th percentile (0 < p ≤ 1) of ascending-sorted samples, nearest rank; NaN when there are none. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil(p * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export function summarize(samples: readonly number[]): LatencySummary {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    max: sorted.at(-1) ?? Number.NaN,
  };
}

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition (comments skipped). */
export function parsePrometheus(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([A-Za-z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const label of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[label[1]] = label[2];
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

/** Routes that are the bench's own probes, not traffic of the scenario. */
const PROBE_ROUTES = /^\/(metrics|health\/)/;

/** HTTP requests a service answered (http_requests_total), leaving out /metrics and /health probes. */
export function requestsAnswered(samples: Sample[], route?: string): number {
  return samples
    .filter((sample) => sample.name === 'http_requests_total' && !PROBE_ROUTES.test(sample.labels.route ?? ''))
    .filter((sample) => route === undefined || sample.labels.route === route)
    .reduce((sum, sample) => sum + sample.value, 0);
}

/** Circuit breaker state of the downstream whose name contains `downstream`: 0 closed, 1 half-open, 2 open. */
export function breakerState(samples: Sample[], downstream: string): number | undefined {
  return samples.find((sample) => sample.name === 'downstream_circuit_state' && (sample.labels.downstream ?? '').includes(downstream))?.value;
}
