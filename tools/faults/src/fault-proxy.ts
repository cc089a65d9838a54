/**
 * A TCP proxy that injects faults between a client and one upstream (a System API, PostgreSQL,
 * the SMTP server). It knows nothing of HTTP beyond "the client sent something, the upstream
 * answered": that is enough to tell a request delivered from a reply lost, and it works the same
 * for the PostgreSQL and SMTP wire protocols.
 *
 * Modes (switch at any time with `setMode`; connections already open follow the new mode):
 * - `pass`: bytes flow both ways untouched.
 * - `refuse`: the listening socket is closed (clients get ECONNREFUSED) and open connections are
 *   cut — what a service that went down looks like.
 * - `latency`: every chunk, both ways (or only replies), is held `latencyMs` before it is
 *   forwarded (order kept).
 * - `reset`: new connections are accepted then reset; open ones are reset when they next send.
 * - `stall`: requests are delivered, replies are never forwarded (the connection stays open).
 * - `drop-reply`: requests are delivered; when the upstream's reply arrives it is thrown away and
 *   the client's connection reset — the upstream did the work, the caller never heard. Limited
 *   to `budget` replies (then back to `pass`), and to requests `matching` a predicate.
 *
 * It counts what it saw, among which `abandoned`: connections the client closed while a request
 * was delivered and its reply not yet forwarded — proof that a client's timeout really cancelled
 * the call (the upstream's socket is closed at the same moment, so the server sees it too).
 */
import { createServer, connect, type Server, type Socket } from 'node:net';

export type FaultMode = 'pass' | 'refuse' | 'latency' | 'reset' | 'stall' | 'drop-reply';

export interface FaultSettings {
  /** `latency`: how long each chunk is held. */
  latencyMs?: number;
  /** `latency`: hold only the upstream's replies (a slow server that already has the request). */
  replies?: boolean;
  /** `drop-reply`: how many replies to drop before going back to `pass` (default: unlimited). */
  budget?: number;
  /** `drop-reply`: only replies to requests whose first chunk matches (e.g. `POST ` lines). */
  matching?: (request: Buffer) => boolean;
}

export interface FaultProxyStats {
  /** Connections accepted from clients. */
  connections: number;
  /** Connections reset by the `reset` mode. */
  reset: number;
  /** Replies the upstream sent that `drop-reply` threw away. */
  repliesDropped: number;
  /** Client closed while its request was delivered and no reply forwarded yet. */
  abandoned: number;
}

export interface FaultProxy {
  /** `host:port` clients should use, and its `http://` and bare forms. */
  readonly port: number;
  readonly host: string;
  readonly url: string;
  readonly mode: FaultMode;
  readonly stats: Readonly<FaultProxyStats>;
  setMode(mode: FaultMode, settings?: FaultSettings): Promise<void>;
  /** Points the proxy at another upstream port (a restarted service); open connections are cut. */
  setUpstream(port: number): void;
  resetStats(): void;
  close(): Promise<void>;
}

interface Link {
  client: Socket;
  upstream: Socket;
  /** Bytes of the request in flight, when no reply has been forwarded since. */
  awaitingReply: Buffer | null;
  /** Chunks held by `latency`, per direction, so order is kept. */
  clientQueue: Promise<void>;
  upstreamQueue: Promise<void>;
  closed: boolean;
}

const HOST = '127.0.0.1';

/** Starts a proxy on a free loopback port in front of `upstreamPort` (127.0.0.1). */
export async function startFaultProxy(upstreamPort: number, options: { name?: string } = {}): Promise<FaultProxy> {
  let upstream = upstreamPort;
  let mode: FaultMode = 'pass';
  let settings: FaultSettings = {};
  const links = new Set<Link>();
  const stats: FaultProxyStats = {
    connections: 0,
    reset: 0,
    repliesDropped: 0,
    abandoned: 0,
  };

  const cut = (link: Link, how: 'reset' | 'end') => {
    if (link.closed) return;
    link.closed = true;
    links.delete(link);
    if (how === 'reset') {
      link.client.resetAndDestroy();
      link.upstream.resetAndDestroy();
    } else {
      link.client.destroy();
      link.upstream.destroy();
    }
  };

  const hold = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

  const onClient = (client: Socket) => {
    stats.connections += 1;
    client.setNoDelay(true);
    if (mode === 'reset') {
      stats.reset += 1;
      client.on('error', () => undefined);
      client.resetAndDestroy();
      return;
    }
    const link: Link = {
      client,
      upstream: connect({ host: HOST, port: upstream }),
      awaitingReply: null,
      clientQueue: Promise.resolve(),
      upstreamQueue: Promise.resolve(),
      closed: false,
    };
    links.add(link);
    link.upstream.setNoDelay(true);
    // Until the upstream accepts, what the client sends is buffered by the upstream socket itself.
    client.on('data', (chunk: Buffer) => {
      if (link.closed) return;
      if (mode === 'reset') {
        stats.reset += 1;
        return cut(link, 'reset');
      }
      if (link.awaitingReply === null) link.awaitingReply = chunk;
      const forward = () => {
        if (!link.closed) link.upstream.write(chunk);
      };
      if (mode === 'latency' && !settings.replies) {
        const ms = settings.latencyMs ?? 0;
        link.clientQueue = link.clientQueue.then(() => hold(ms)).then(forward);
      } else {
        link.clientQueue = link.clientQueue.then(forward);
      }
    });
    link.upstream.on('data', (chunk: Buffer) => {
      if (link.closed) return;
      if (mode === 'stall') return;
      if (mode === 'reset') {
        stats.reset += 1;
        return cut(link, 'reset');
      }
      if (mode === 'drop-reply' && link.awaitingReply && (settings.matching?.(link.awaitingReply) ?? true)) {
        stats.repliesDropped += 1;
        if (settings.budget !== undefined) {
          settings.budget -= 1;
          if (settings.budget <= 0) {
            mode = 'pass';
            settings = {};
          }
        }
        return cut(link, 'reset');
      }
      const forward = () => {
        if (link.closed) return;
        link.awaitingReply = null;
        link.client.write(chunk);
      };
      if (mode === 'latency') {
        const ms = settings.latencyMs ?? 0;
        link.upstreamQueue = link.upstreamQueue.then(() => hold(ms)).then(forward);
      } else {
        link.upstreamQueue = link.upstreamQueue.then(forward);
      }
    });
    const clientGone = () => {
      if (link.closed) return;
      if (link.awaitingReply) stats.abandoned += 1;
      cut(link, 'end');
    };
    // The upstream's end is forwarded once its queued chunks are out — except while stalling:
    // the client must keep waiting for a reply that never comes.
    const upstreamGone = () => {
      if (link.closed || mode === 'stall') return;
      void link.upstreamQueue.then(() => cut(link, 'end'));
    };
    client.on('end', clientGone);
    client.on('close', clientGone);
    client.on('error', clientGone);
    link.upstream.on('end', upstreamGone);
    link.upstream.on('close', upstreamGone);
    link.upstream.on('error', () => cut(link, 'reset'));
  };

  const server: Server = createServer({ allowHalfOpen: false }, onClient);
  server.on('error', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('the fault proxy has no port');
  const port = address.port;
  let listening = true;

  const stopListening = () =>
    new Promise<void>((resolve) => {
      if (!listening) return resolve();
      listening = false;
      server.close(() => resolve());
    });
  const listenAgain = () =>
    new Promise<void>((resolve, reject) => {
      if (listening) return resolve();
      const onError = (error: Error) => reject(new Error(`${options.name ?? 'fault proxy'} could not listen on ${port} again: ${error.message}`));
      server.once('error', onError);
      server.listen(port, HOST, () => {
        server.removeListener('error', onError);
        listening = true;
        resolve();
      });
    });

  return {
    port,
    host: HOST,
    url: `http://${HOST}:${port}`,
    get mode() {
      return mode;
    },
    stats,
    async setMode(next, nextSettings = {}) {
      mode = next;
      settings = { ...nextSettings };
      if (next === 'refuse') {
        for (const link of [...links]) cut(link, 'reset');
        await stopListening();
      } else {
        await listenAgain();
      }
    },
    setUpstream(next) {
      upstream = next;
      for (const link of [...links]) cut(link, 'end');
    },
    resetStats() {
      Object.assign(stats, {
        connections: 0,
        reset: 0,
        repliesDropped: 0,
        abandoned: 0,
      });
    },
    async close() {
      for (const link of [...links]) cut(link, 'end');
      await stopListening();
    },
  };
}
