import { createServer, request as httpRequest, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { once } from 'node:events';
import { startFaultProxy, type FaultProxy } from './fault-proxy';

/** An upstream HTTP server that counts the requests it handled and the sockets it saw close. */
interface Upstream {
  server: Server;
  port: number;
  handled: string[];
  socketsClosed: number;
  close(): Promise<void>;
}

async function startUpstream(name = 'up'): Promise<Upstream> {
  const upstream = { handled: [] as string[], socketsClosed: 0 } as Upstream;
  const sockets = new Set<Socket>();
  upstream.server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      upstream.handled.push(`${req.method} ${req.url}`);
      res.setHeader('content-type', 'text/plain');
      res.end(`${name}:${req.method} ${req.url}`);
    });
  });
  upstream.server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => {
      upstream.socketsClosed += 1;
      sockets.delete(socket);
    });
  });
  upstream.server.listen(0, '127.0.0.1');
  await once(upstream.server, 'listening');
  upstream.port = (upstream.server.address() as { port: number }).port;
  upstream.close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      upstream.server.close(() => resolve());
    });
  return upstream;
}

type Outcome = { status: number; body: string } | { error: string };

/** One HTTP request on a fresh connection; `abortAfterMs` plays a client timeout. */
function send(port: number, method: string, path: string, abortAfterMs?: number): Promise<Outcome> {
  return new Promise((resolve) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        agent: false,
        signal: abortAfterMs ? AbortSignal.timeout(abortAfterMs) : undefined,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.name }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.name }));
    req.end(method === 'POST' ? '{}' : undefined);
  });
}

async function eventually(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(check()).toBe(true);
}

describe('the fault proxy', () => {
  let upstream: Upstream;
  let proxy: FaultProxy;
  beforeEach(async () => {
    upstream = await startUpstream();
    proxy = await startFaultProxy(upstream.port);
  });
  afterEach(async () => {
    await proxy.close();
    await upstream.close();
  });

  it('passes requests and replies through untouched in pass mode', async () => {
    expect(await send(proxy.port, 'GET', '/a')).toEqual({
      status: 200,
      body: 'up:GET /a',
    });
    expect(upstream.handled).toEqual(['GET /a']);
    expect(proxy.stats.connections).toBe(1);
  });

  it('refuses connections while in refuse mode and accepts them on the same port once back in pass mode', async () => {
    await proxy.setMode('refuse');
    expect(await send(proxy.port, 'GET', '/down')).toEqual({
      error: 'ECONNREFUSED',
    });
    expect(upstream.handled).toEqual([]);
    await proxy.setMode('pass');
    expect(await send(proxy.port, 'GET', '/up')).toEqual({
      status: 200,
      body: 'up:GET /up',
    });
  });

  it('resets connections in reset mode before anything reaches the upstream', async () => {
    await proxy.setMode('reset');
    expect(await send(proxy.port, 'GET', '/r')).toEqual({
      error: 'ECONNRESET',
    });
    expect(upstream.handled).toEqual([]);
    expect(proxy.stats.reset).toBe(1);
  });

  it('holds replies in latency mode, and a client that gives up first closes the connection the upstream sees', async () => {
    await proxy.setMode('latency', { latencyMs: 60_000 });
    const outcome = await send(proxy.port, 'GET', '/slow', 200);
    expect(outcome).toEqual({ error: 'ABORT_ERR' });
    await eventually(() => proxy.stats.abandoned === 1);
    // The request was delayed too, so it never reached the server; but its connection was opened and is now closed.
    await eventually(() => upstream.socketsClosed === 1);
    expect(upstream.handled).toEqual([]);
  });

  it('holds only replies when asked: the slow server has the request, and sees the connection closed when the client gives up', async () => {
    await proxy.setMode('latency', { latencyMs: 60_000, replies: true });
    expect(await send(proxy.port, 'POST', '/slow-write', 200)).toEqual({
      error: 'ABORT_ERR',
    });
    expect(upstream.handled).toEqual(['POST /slow-write']);
    await eventually(() => proxy.stats.abandoned === 1 && upstream.socketsClosed === 1);
  });

  it('delivers the request but never the reply in stall mode, counting the call the client abandoned', async () => {
    await proxy.setMode('stall');
    expect(await send(proxy.port, 'POST', '/stalled', 300)).toEqual({
      error: 'ABORT_ERR',
    });
    expect(upstream.handled).toEqual(['POST /stalled']);
    await eventually(() => proxy.stats.abandoned === 1 && upstream.socketsClosed === 1);
  });

  it('drops only the matching replies, within its budget, after the upstream handled the request', async () => {
    await proxy.setMode('drop-reply', {
      budget: 1,
      matching: (request) => request.toString('latin1').startsWith('POST '),
    });
    expect(await send(proxy.port, 'GET', '/read')).toEqual({
      status: 200,
      body: 'up:GET /read',
    });
    expect(await send(proxy.port, 'POST', '/write')).toEqual({
      error: 'ECONNRESET',
    });
    expect(await send(proxy.port, 'POST', '/write')).toEqual({
      status: 200,
      body: 'up:POST /write',
    });
    expect(upstream.handled).toEqual(['GET /read', 'POST /write', 'POST /write']);
    expect(proxy.stats.repliesDropped).toBe(1);
    expect(proxy.mode).toBe('pass');
  });

  it('forwards to a new upstream port after setUpstream, as after a restart', async () => {
    const other = await startUpstream('other');
    try {
      proxy.setUpstream(other.port);
      expect(await send(proxy.port, 'GET', '/x')).toEqual({
        status: 200,
        body: 'other:GET /x',
      });
      expect(upstream.handled).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
