import { connect, type Socket } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { ConfigError, loadConfig, ServiceConfigSchema } from './config';
import { platform } from './platform-plugin';
import { serviceServerOptions } from './server-options';

const SECRET = 'process-secret-0123456789';
const CREDENTIAL = `x-service-credential: onboarding-process-api.${SECRET}`;

async function startApp(env: Record<string, string> = {}): Promise<{ app: FastifyInstance; port: number }> {
  const config = loadConfig(ServiceConfigSchema, {
    PORT: '0',
    LOG_LEVEL: 'silent',
    ACCEPTED_CALLERS: `onboarding-process-api:process:${SECRET}`,
    PII_ENCRYPTION_KEY: Buffer.alloc(32, 4).toString('base64'),
    BODY_LIMIT_BYTES: '2048',
    HEADERS_TIMEOUT_MS: '400',
    REQUEST_TIMEOUT_MS: '3000',
    ...env,
  });
  const app = Fastify(serviceServerOptions(config));
  await app.register(platform, {
    service: {
      name: 'sample-api',
      title: 'Sample',
      version: '1.0.0',
      description: 'test',
    },
    config,
    acceptedLayers: ['process'],
  });
  app.get<{ Params: { id: string } }>('/v1/things/:id', async (request) => ({
    id: request.params.id,
  }));
  app.post('/v1/things', async () => ({ stored: true }));
  app.get('/v1/whoami', async (request) => ({ ip: request.ip }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, port: (app.server.address() as { port: number }).port };
}

interface Exchange {
  /** Everything the server sent before the connection closed. */
  received: string;
  /** A socket error the client saw (EPIPE, ECONNRESET), if any. */
  error?: string;
}

/** Opens a raw connection, writes `request` (then `more` chunk by chunk, if given) and collects the answer until close. */
function exchange(port: number, request: string, more: Buffer[] = []): { socket: Socket; done: Promise<Exchange> } {
  const socket = connect(port, '127.0.0.1');
  const done = new Promise<Exchange>((resolve) => {
    let received = '';
    let error: string | undefined;
    socket.on('data', (chunk) => (received += chunk.toString('latin1')));
    socket.on('error', (err: NodeJS.ErrnoException) => (error ??= err.code));
    socket.on('close', () => resolve({ received, error }));
  });
  socket.write(request);
  (async () => {
    for (const chunk of more) {
      if (socket.destroyed || !socket.writable) return;
      if (!socket.write(chunk)) await new Promise((resolve) => socket.once('drain', resolve).once('close', resolve));
    }
  })();
  return { socket, done };
}

function parse(received: string) {
  const [head, ...rest] = received.split('\r\n\r\n');
  const [statusLine, ...headerLines] = head.split('\r\n');
  const headers = Object.fromEntries(
    headerLines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]),
  );
  return {
    status: Number(statusLine.split(' ')[1]),
    headers,
    body: rest.join('\r\n\r\n'),
  };
}

function expectProblemOnTheWire(received: string, status: number, code: string) {
  const answer = parse(received);
  expect({
    status: answer.status,
    contentType: answer.headers['content-type'],
  }).toEqual({
    status,
    contentType: expect.stringMatching(/^application\/problem\+json/),
  });
  expect(JSON.parse(answer.body)).toMatchObject({
    type: `urn:problem:${code.toLowerCase().replace(/_/g, '-')}`,
    title: expect.any(String),
    status,
    code,
  });
  return answer;
}

describe('answers Node and the router give before a route runs', () => {
  let app: FastifyInstance;
  let port: number;
  beforeAll(async () => {
    ({ app, port } = await startApp());
  });
  afterAll(() => app.close());

  it('answers an over-long path parameter with a 414 problem that does not echo the path', async () => {
    const marker = `secret-path-${'z'.repeat(300)}`;
    const { done } = exchange(port, `GET /v1/things/${marker} HTTP/1.1\r\nHost: x\r\n${CREDENTIAL}\r\nConnection: close\r\n\r\n`);
    const { received } = await done;
    expectProblemOnTheWire(received, 414, 'URI_TOO_LONG');
    expect(received).not.toContain('secret-path');
  });

  it('answers a badly percent-encoded path with a 400 problem that does not echo it', async () => {
    const { done } = exchange(port, `GET /v1/things/%E0%A4%Asecret HTTP/1.1\r\nHost: x\r\n${CREDENTIAL}\r\nConnection: close\r\n\r\n`);
    const { received } = await done;
    const answer = expectProblemOnTheWire(received, 400, 'MALFORMED_URL');
    expect(received).not.toContain('secret');
    expect(answer.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers headers that are too large with a 431 problem that does not echo them', async () => {
    const { done } = exchange(port, `GET /v1/things/1 HTTP/1.1\r\nHost: x\r\nX-Padding: header-value-${'h'.repeat(20_000)}\r\n\r\n`);
    const { received } = await done;
    expectProblemOnTheWire(received, 431, 'HEADERS_TOO_LARGE');
    expect(received).not.toContain('header-value');
  });

  it('answers bytes that are not HTTP with a 400 problem', async () => {
    const { done } = exchange(port, 'HELLO THERE\r\n\r\n');
    expectProblemOnTheWire((await done).received, 400, 'MALFORMED_REQUEST');
  });

  it('answers a client whose headers never finish with a 408 problem and closes the connection', async () => {
    const { done } = exchange(port, `GET /v1/things/1 HTTP/1.1\r\nHost: x\r\n`);
    expectProblemOnTheWire((await done).received, 408, 'REQUEST_TIMEOUT');
  });

  it('lets a client still sending an oversized body finish and read its 413 problem', async () => {
    const body = Array.from({ length: 192 }, () => Buffer.alloc(64 * 1024, 'x')); // 12 MiB: more than the kernel buffers
    const { done } = exchange(
      port,
      `POST /v1/things HTTP/1.1\r\nHost: x\r\n${CREDENTIAL}\r\nContent-Type: application/json\r\nContent-Length: ${192 * 64 * 1024}\r\n\r\n`,
      body,
    );
    const { received, error } = await done;
    expectProblemOnTheWire(received, 413, 'PAYLOAD_TOO_LARGE');
    expect(error).toBeUndefined();
  });
});

describe('slow and numerous clients', () => {
  it('keeps serving others while many clients drip their headers, and cuts the slow ones with a 408 problem', async () => {
    const { app, port } = await startApp({ HEADERS_TIMEOUT_MS: '500' });
    try {
      const slow = Array.from({ length: 100 }, () => exchange(port, 'GET /v1/things/1 HTTP/1.1\r\nHost: x\r\n'));
      const drip = setInterval(() => {
        for (const { socket } of slow) if (!socket.destroyed) socket.write('X-Drip: 1\r\n');
      }, 100);
      try {
        const served = await fetch(`http://127.0.0.1:${port}/v1/things/42`, {
          headers: {
            'x-service-credential': `onboarding-process-api.${SECRET}`,
          },
        });
        expect(served.status).toBe(200);
        expect(await served.json()).toEqual({ id: '42' });
        expect(slow.filter(({ socket }) => !socket.destroyed).length).toBeGreaterThan(0);
        const answers = await Promise.all(slow.map(({ done }) => done));
        for (const { received } of answers) expectProblemOnTheWire(received, 408, 'REQUEST_TIMEOUT');
      } finally {
        clearInterval(drip);
      }
    } finally {
      await app.close();
    }
  });

  it('closes connections beyond MAX_CONNECTIONS at once and serves again when there is room', async () => {
    const { app, port } = await startApp({
      MAX_CONNECTIONS: '3',
      HEADERS_TIMEOUT_MS: '800',
    });
    try {
      const held = Array.from({ length: 3 }, () => exchange(port, 'GET /v1/things/1 HTTP/1.1\r\nHost: x\r\n'));
      await new Promise((resolve) => setTimeout(resolve, 100)); // let the server accept them
      const refused = await exchange(port, `GET /v1/things/1 HTTP/1.1\r\nHost: x\r\n${CREDENTIAL}\r\nConnection: close\r\n\r\n`).done;
      expect(refused.received).toBe('');
      await Promise.all(held.map(({ done }) => done));
      const served = await exchange(port, `GET /v1/things/7 HTTP/1.1\r\nHost: x\r\n${CREDENTIAL}\r\nConnection: close\r\n\r\n`).done;
      expect(parse(served.received).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('STARTUP_TIMEOUT_MS', () => {
  it('bounds how long one start-up step may take (Fastify alone gives up after 10 s)', async () => {
    const config = loadConfig(ServiceConfigSchema, { PORT: '0', LOG_LEVEL: 'silent', STARTUP_TIMEOUT_MS: '1000' });
    const slowStep = (ms: number) => async () => new Promise<void>((resolve) => setTimeout(resolve, ms));
    const patient = Fastify(serviceServerOptions(config));
    void patient.register(slowStep(300));
    await expect(patient.ready()).resolves.toBeDefined();
    await patient.close();
    const stuck = Fastify(serviceServerOptions(config));
    void stuck.register(slowStep(1_500));
    await expect(stuck.ready()).rejects.toThrow(/did not start in time/);
    await stuck.close().catch(() => undefined);
  });
});

describe('MAX_CONNECTIONS_PER_PEER', () => {
  it("closes a peer address's connections beyond its cap at once, while other addresses are served", async () => {
    const { app, port } = await startApp({ MAX_CONNECTIONS_PER_PEER: '2', HEADERS_TIMEOUT_MS: '800' });
    const from = (localAddress: string, request: string) => {
      const socket = connect({ port, host: '127.0.0.1', localAddress });
      return new Promise<string>((resolve) => {
        let received = '';
        socket.on('data', (chunk) => (received += chunk.toString('latin1')));
        socket.on('error', () => undefined);
        socket.on('close', () => resolve(received));
        socket.write(request);
      });
    };
    const complete = `GET /v1/things/1 HTTP/1.1\r\nHost: x\r\n${CREDENTIAL}\r\nConnection: close\r\n\r\n`;
    try {
      const held = [from('127.0.0.3', 'GET /v1/things/1 HTTP/1.1\r\nHost: x\r\n'), from('127.0.0.3', 'GET /v1/things/1 HTTP/1.1\r\nHost: x\r\n')];
      await new Promise((resolve) => setTimeout(resolve, 100)); // let the server accept them
      expect(await from('127.0.0.3', complete)).toBe('');
      expect(parse(await from('127.0.0.4', complete)).status).toBe(200);
      await Promise.all(held);
      await new Promise((resolve) => setTimeout(resolve, 100)); // the server's side of them closes too
      expect(parse(await from('127.0.0.3', complete)).status).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('TRUST_PROXY', () => {
  const ipSeen = async (env: Record<string, string>) => {
    const { app } = await startApp(env);
    try {
      const res = await app.inject({
        url: '/v1/whoami',
        headers: {
          'x-service-credential': `onboarding-process-api.${SECRET}`,
          'x-forwarded-for': '203.0.113.7, 198.51.100.2',
        },
      });
      return res.json().ip as string;
    } finally {
      await app.close();
    }
  };

  it('believes no X-Forwarded-For by default', async () => {
    expect(await ipSeen({})).toBe('127.0.0.1');
  });
  it('takes the client address from a listed proxy, hop by hop', async () => {
    expect(await ipSeen({ TRUST_PROXY: '127.0.0.1/8' })).toBe('198.51.100.2');
    expect(await ipSeen({ TRUST_PROXY: 'loopback, 198.51.100.0/24' })).toBe('203.0.113.7');
  });
  it('takes it from a hop count', async () => {
    expect(await ipSeen({ TRUST_PROXY: '2' })).toBe('203.0.113.7');
  });
  it('refuses an entry that is not an address or range, naming the variable', () => {
    const config = loadConfig(ServiceConfigSchema, {
      PORT: '0',
      TRUST_PROXY: '10.0.0.0/99',
    });
    expect(() => serviceServerOptions(config)).toThrow(ConfigError);
    expect(() => serviceServerOptions(config)).toThrow(/TRUST_PROXY/);
  });
});
