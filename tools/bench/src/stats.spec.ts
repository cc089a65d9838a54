import { breakerState, parsePrometheus, percentile, requestsAnswered, summarize } from './stats';

describe('percentile', () => {
  it('takes the nearest rank, so p50 of 1..100 is 50 and p99 is 99', () => {
    const sorted = Array.from({ length: 100 }, (_, index) => index + 1);
    expect([percentile(sorted, 0.5), percentile(sorted, 0.99), percentile(sorted, 1)]).toEqual([50, 99, 100]);
  });

  it('answers NaN for no samples rather than a made-up zero', () => {
    expect(percentile([], 0.5)).toBeNaN();
    expect(summarize([])).toMatchObject({ count: 0, max: Number.NaN });
  });

  it('sorts unsorted samples before summarizing them', () => {
    expect(summarize([9, 1, 5, 3, 7])).toEqual({
      count: 5,
      p50: 5,
      p99: 9,
      max: 9,
    });
  });
});

const exposition = `# HELP http_requests_total HTTP requests answered, by method, route and status
# TYPE http_requests_total counter
http_requests_total{method="GET",route="/v1/home",status_code="200",service="mobile-experience-api"} 120
http_requests_total{method="GET",route="/v1/home",status_code="503",service="mobile-experience-api"} 3
http_requests_total{method="GET",route="/metrics",status_code="200",service="mobile-experience-api"} 40
http_requests_total{method="GET",route="/health/ready",status_code="200",service="mobile-experience-api"} 7
http_requests_total{method="GET",route="/v1/onboardings/:id",status_code="200",service="mobile-experience-api"} 5
downstream_circuit_state{downstream="account-system",service="onboarding-process-api"} 2
downstream_circuit_state{downstream="billing-system",service="onboarding-process-api"} 0
`;

describe('Prometheus samples', () => {
  it('counts the requests a service answered, leaving out the bench’s own /metrics and /health probes', () => {
    expect(requestsAnswered(parsePrometheus(exposition))).toBe(128);
  });

  it('counts one route’s requests across its status codes', () => {
    expect(requestsAnswered(parsePrometheus(exposition), '/v1/home')).toBe(123);
  });

  it('reads the breaker state of the downstream named, and nothing for an unknown one', () => {
    const samples = parsePrometheus(exposition);
    expect([breakerState(samples, 'account'), breakerState(samples, 'billing'), breakerState(samples, 'kyc')]).toEqual([2, 0, undefined]);
  });
});
