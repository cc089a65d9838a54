import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpKycProvider } from './http-kyc-provider';
import { KycProviderAnswerInvalid, KycProviderError, KycProviderRejected, KycProviderUnavailable } from './kyc-errors';
import type { KycApplicant } from './kyc-provider';

/** A stand-in for the vendor: a real HTTP server on a free port whose answer each test decides. */
interface RecordedRequest {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingMessage['headers'];
  body: unknown;
}
type Answer = (request: RecordedRequest, response: ServerResponse) => void;

let server: Server;
let baseUrl: string;
let answer: Answer;
let received: RecordedRequest[];

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const recorded = {
        method: request.method,
        url: request.url,
        headers: request.headers,
        body: text ? JSON.parse(text) : undefined,
      };
      received.push(recorded);
      answer(recorded, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

let provider: HttpKycProvider;
beforeEach(() => {
  received = [];
  answer = json(200, { id: 'chk_1', decision: 'clear' });
  provider = new HttpKycProvider({
    baseUrl: `${baseUrl}/kyc-vendor/`,
    apiKey: 'test-key-123',
    timeoutMs: 500,
  });
});
afterEach(async () => {
  await provider.close();
});

function json(status: number, body: unknown, headers: Record<string, string> = {}): Answer {
  return (_request, response) => {
    response.writeHead(status, {
      'content-type': 'application/json',
      ...headers,
    });
    response.end(JSON.stringify(body));
  };
}

const ada: KycApplicant = {
  legalName: 'Ada Lovelace',
  dateOfBirth: '1990-04-01',
  ssn: '234-56-7890',
  address: {
    line1: '1 Main St',
    city: 'New York',
    state: 'NY',
    postalCode: '10001',
  },
};

async function failure(promise: Promise<unknown>): Promise<KycProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof KycProviderError)) throw new Error(`expected a KycProviderError, got ${String(error)}`);
  return error;
}

describe('HttpKycProvider', () => {
  it('posts the applicant to {baseUrl}/v1/checks with the bearer key, idempotency key and request id', async () => {
    await provider.checkApplicant(ada, {
      idempotencyKey: 'onb-42:kyc',
      requestId: 'req-7',
    });
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request).toMatchObject({
      method: 'POST',
      url: '/kyc-vendor/v1/checks',
      headers: {
        authorization: 'Bearer test-key-123',
        'content-type': 'application/json',
        'idempotency-key': 'onb-42:kyc',
        'x-request-id': 'req-7',
      },
    });
    expect(request?.body).toEqual({
      reference: 'onb-42:kyc',
      person: {
        full_name: 'Ada Lovelace',
        date_of_birth: '1990-04-01',
        ssn: '234567890',
        address: {
          line1: '1 Main St',
          city: 'New York',
          state: 'NY',
          postal_code: '10001',
          country: 'US',
        },
      },
    });
  });

  it('approves when the vendor clears the applicant, keeping the vendor check id', async () => {
    answer = json(201, {
      id: 'chk_abc',
      decision: 'clear',
      reasons: [],
      riskScore: 3,
    });
    await expect(provider.checkApplicant(ada)).resolves.toEqual({
      outcome: 'approved',
      providerReference: 'chk_abc',
    });
  });

  it.each([
    ['age_below_minimum', 'UNDERAGE'],
    ['ssn_invalid', 'INVALID_SSN'],
    ['watchlist_match', 'WATCHLIST_MATCH'],
    ['identity_mismatch', 'IDENTITY_NOT_VERIFIED'],
    ['ssn_deceased', 'SSN_REPORTED_DECEASED'],
  ])('maps a decline for %s to a rejection with code %s', async (vendorCode, reasonCode) => {
    answer = json(200, {
      id: 'chk_2',
      decision: 'decline',
      reasons: [{ code: vendorCode, message: 'SSN 234-56-7890 of Ada' }],
    });
    const decision = await provider.checkApplicant(ada);
    expect(decision).toMatchObject({
      outcome: 'rejected',
      reasonCode,
      providerReference: 'chk_2',
    });
    // The vendor's message may quote the applicant; the reason is ours.
    expect(JSON.stringify(decision)).not.toContain('7890');
  });

  it('rejects with REJECTED_BY_PROVIDER and names the vendor codes when none is known', async () => {
    answer = json(200, {
      id: 'chk_3',
      decision: 'decline',
      reasons: [{ code: 'velocity_limit' }],
    });
    await expect(provider.checkApplicant(ada)).resolves.toEqual({
      outcome: 'rejected',
      reasonCode: 'REJECTED_BY_PROVIDER',
      reason: 'The provider declined the applicant (vendor reason: velocity_limit)',
      providerReference: 'chk_3',
    });
  });

  it('uses the first known reason when the vendor gives several', async () => {
    answer = json(200, {
      id: 'chk_4',
      decision: 'decline',
      reasons: [{ code: 'velocity_limit' }, { code: 'ssn_invalid' }, { code: 'watchlist_match' }],
    });
    await expect(provider.checkApplicant(ada)).resolves.toMatchObject({
      reasonCode: 'INVALID_SSN',
    });
  });

  it('holds the applicant for manual review when the vendor asks for one', async () => {
    answer = json(200, {
      id: 'chk_5',
      decision: 'review',
      reasons: [{ code: 'watchlist_potential_match' }],
    });
    await expect(provider.checkApplicant(ada)).resolves.toMatchObject({
      outcome: 'manual_review',
      reasonCode: 'POSSIBLE_WATCHLIST_MATCH',
    });
    answer = json(200, { id: 'chk_6', decision: 'review' });
    await expect(provider.checkApplicant(ada)).resolves.toMatchObject({
      outcome: 'manual_review',
      reasonCode: 'REVIEW_REQUESTED_BY_PROVIDER',
    });
  });

  describe('when the vendor cannot answer', () => {
    it.each([500, 502, 503, 408])('raises a transient KycProviderUnavailable on %i', async (status) => {
      answer = json(status, { error: { code: 'internal' } });
      const error = await failure(provider.checkApplicant(ada));
      expect(error).toBeInstanceOf(KycProviderUnavailable);
      expect(error).toMatchObject({
        transient: true,
        reason: 'status',
        status,
      });
    });

    it('passes on how long a 429 asks us to wait', async () => {
      answer = json(429, { error: { code: 'rate_limited' } }, { 'retry-after': '3' });
      const error = await failure(provider.checkApplicant(ada));
      expect(error).toMatchObject({
        transient: true,
        status: 429,
        retryAfterMs: 3000,
      });
    });

    it('aborts and raises a transient timeout when no answer comes within the budget', async () => {
      answer = () => {
        // Never answers.
      };
      const started = Date.now();
      const error = await failure(provider.checkApplicant(ada));
      expect(error).toMatchObject({ transient: true, reason: 'timeout' });
      expect(Date.now() - started).toBeLessThan(2000);
    });

    it('raises a transient timeout when the answer stalls halfway through its body', async () => {
      answer = (_request, response) => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.write('{"id":"chk_7",');
      };
      const error = await failure(provider.checkApplicant(ada));
      expect(error).toMatchObject({ transient: true, reason: 'timeout' });
    });

    it('raises a transient connection error when nothing listens', async () => {
      const idle = createServer();
      await new Promise<void>((resolve) => idle.listen(0, '127.0.0.1', resolve));
      const port = (idle.address() as AddressInfo).port;
      await new Promise<void>((resolve) => idle.close(() => resolve()));
      const unreachable = new HttpKycProvider({
        baseUrl: `http://127.0.0.1:${port}`,
        apiKey: 'k',
        timeoutMs: 500,
      });
      try {
        const error = await failure(unreachable.checkApplicant(ada));
        expect(error).toMatchObject({ transient: true, reason: 'connection' });
      } finally {
        await unreachable.close();
      }
    });
  });

  describe('when the vendor refuses the request', () => {
    it.each([400, 401, 403, 422])('raises a permanent KycProviderRejected on %i with the vendor error code', async (status) => {
      answer = json(status, { code: 'invalid_api_key', detail: 'bad key test-key-123' }, { 'content-type': 'application/problem+json' });
      const error = await failure(provider.checkApplicant(ada));
      expect(error).toBeInstanceOf(KycProviderRejected);
      expect(error).toMatchObject({
        transient: false,
        status,
        vendorCode: 'invalid_api_key',
      });
      expect(error.message).not.toContain('test-key-123');
    });

    it.each<[string, Answer]>([
      [
        'not JSON',
        (_request, response) => {
          response.writeHead(404, { 'content-type': 'text/html' });
          response.end('<h1>Not found</h1>');
        },
      ],
      ['plain JSON', json(404, { error: { code: 'not_found' } })],
    ])('still raises a permanent error when the 4xx body is %s', async (_label, vendorAnswer) => {
      answer = vendorAnswer;
      const error = await failure(provider.checkApplicant(ada));
      expect(error).toMatchObject({
        transient: false,
        status: 404,
        vendorCode: undefined,
      });
    });
  });

  describe('when the vendor answers outside its API', () => {
    it.each<[string, Answer]>([
      [
        'a body that is not JSON',
        (_request, response) => {
          response.writeHead(200);
          response.end('<html>maintenance</html>');
        },
      ],
      ['an unknown decision', json(200, { id: 'chk_8', decision: 'pending' })],
      ['a missing check id', json(200, { decision: 'clear' })],
      ['an undeclared status', json(204, {})],
    ])('raises a permanent KycProviderAnswerInvalid for %s', async (_label, vendorAnswer) => {
      answer = vendorAnswer;
      const error = await failure(provider.checkApplicant(ada));
      expect(error).toBeInstanceOf(KycProviderAnswerInvalid);
      expect(error.transient).toBe(false);
    });

    it('refuses an answer larger than its limit instead of reading it all', async () => {
      const small = new HttpKycProvider({
        baseUrl,
        apiKey: 'k',
        maxResponseBytes: 1024,
      });
      answer = json(200, {
        id: 'chk_9',
        decision: 'clear',
        padding: 'x'.repeat(10_000),
      });
      try {
        const error = await failure(small.checkApplicant(ada));
        expect(error).toBeInstanceOf(KycProviderAnswerInvalid);
        expect(error.message).toContain('larger than maxResponseBytes');
      } finally {
        await small.close();
      }
    });
  });

  it('stops calling a vendor that keeps failing, and says when to try again', async () => {
    const guarded = new HttpKycProvider({
      baseUrl,
      apiKey: 'k',
      breaker: { consecutiveFailures: 2, resetTimeoutMs: 60_000 },
    });
    answer = json(503, {});
    try {
      await failure(guarded.checkApplicant(ada));
      await failure(guarded.checkApplicant(ada));
      expect(guarded.breakerState()).toBe('open');
      const error = await failure(guarded.checkApplicant(ada));
      expect(error).toMatchObject({ transient: true, reason: 'circuit-open' });
      expect((error as KycProviderUnavailable).retryAfterMs).toBeGreaterThan(0);
      // The third check never reached the vendor.
      expect(received).toHaveLength(2);
    } finally {
      await guarded.close();
    }
  });

  it('keeps working after a failed check: the connection pool recovers', async () => {
    answer = json(500, {});
    await failure(provider.checkApplicant(ada));
    answer = json(200, { id: 'chk_10', decision: 'clear' });
    await expect(provider.checkApplicant(ada)).resolves.toEqual({
      outcome: 'approved',
      providerReference: 'chk_10',
    });
  });

  it('refuses a base URL that is not http(s) and a missing API key', () => {
    expect(() => new HttpKycProvider({ baseUrl: 'ftp://vendor.example', apiKey: 'k' })).toThrow(TypeError);
    expect(() => new HttpKycProvider({ baseUrl, apiKey: '' })).toThrow(TypeError);
  });
});
