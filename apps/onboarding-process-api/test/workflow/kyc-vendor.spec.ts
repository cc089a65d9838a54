import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { application, buildTestApp, isFinal, startOnboarding, waitForOnboarding, type TestApp } from '../helper';

/**
 * KYC_PROVIDER=http: the onboarding's KYC step goes to a vendor over HTTP through the platform's
 * client core — a downstream like the System APIs, with its breaker in /health/ready and /metrics.
 * A stand-in vendor declines every applicant, so no System API is needed: the onboarding ends at KYC.
 */
describe('the HTTP KYC vendor as a downstream', () => {
  let vendor: Server;
  let checks: Array<{
    url: string | undefined;
    authorization: string | undefined;
    credential: string | undefined;
  }>;
  let test: TestApp;
  beforeAll(async () => {
    checks = [];
    vendor = createServer((request, response) => {
      checks.push({
        url: request.url,
        authorization: request.headers.authorization,
        credential: request.headers['x-service-credential'] as string | undefined,
      });
      request.resume();
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(
          JSON.stringify({
            id: `chk_${checks.length}`,
            decision: 'decline',
            reasons: [{ code: 'watchlist_match' }],
          }),
        );
      });
    });
    await new Promise<void>((resolve) => vendor.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(vendor.address() as AddressInfo).port}/kyc`;
    test = await buildTestApp(undefined, {
      env: {
        KYC_PROVIDER: 'http',
        KYC_HTTP_URL: url,
        KYC_HTTP_API_KEY: 'vendor-key-0123',
      },
    });
  });
  afterAll(async () => {
    await test?.close();
    vendor.closeAllConnections();
    await new Promise<void>((resolve) => vendor.close(() => resolve()));
  });

  it('asks the vendor and rejects the applicant it declines', async () => {
    const started = await startOnboarding(test, application());
    const done = await waitForOnboarding(test, started.id, isFinal);
    expect(done).toMatchObject({
      status: 'rejected',
      reason: { code: 'WATCHLIST_MATCH' },
    });
    expect(checks[0]).toMatchObject({
      url: '/kyc/v1/checks',
      authorization: 'Bearer vendor-key-0123',
    });
    // Our service credential is for our own System APIs: the vendor never gets its secret.
    expect(checks[0].credential ?? '').not.toContain('process-secret-for-onboarding-tests');
  });

  it('shows its circuit breaker in /health/ready and /metrics with the other downstreams', async () => {
    const ready = await test.app.inject({ url: '/health/ready' });
    expect(ready.json().checks.downstreams).toEqual({
      'account-system-api': 'closed',
      'billing-system-api': 'closed',
      'kyc-provider': 'closed',
    });
    const metrics = (await test.app.inject({ url: '/metrics' })).body;
    expect(metrics).toMatch(/downstream_circuit_state\{[^}]*downstream="kyc-provider"[^}]*\} 0/);
  });
});
