/**
 * The gateway's TCP side: LLLL frames of MESSAGE-HEADER + record, one session per connection.
 *
 * - Sessions: at most `maxSessions` at once. A connection beyond that is not a session: its first
 *   request is answered RC 8 reason 0822 (SESSION_LIMIT, MSG-RETRY-SECONDS set) and it is closed.
 * - Sequence numbers: a session expects 1, 2, 3, … A request with another number is answered
 *   RC 12 reason 1201 carrying the expected number, and is not run; the expected number stays.
 *   A request whose header could be read counts, even if its body is refused as malformed.
 * - Requests of one session run one after the other, so answers come back in request order.
 * - Nothing a client sends crashes the gateway: an unreadable message is answered RC 12 with the
 *   codec's reason; a frame length that breaks framing is answered 1203 and the connection closed
 *   (the stream is out of step); a failure inside a program is RC 16 (1602 when the database is
 *   unavailable, else 1601) and the unit of work is backed out.
 * - Batch window: inside it, update transactions are answered RC 8 reason 0821 with the seconds
 *   until it closes; inquiries still run.
 * - Slow answers: while more than `slowAnswerBusySessions` sessions have a request in progress,
 *   each request waits `slowAnswerMs` before it runs (0 turns this off).
 */
import net from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import {
  decodeRequest,
  encodeFrame,
  encodeHeaderOnlyResponse,
  encodeResponse,
  FrameError,
  FrameReader,
  MessageError,
  ReasonCode,
  ReturnCode,
  returnCodeOf,
  TRANSACTIONS,
  type AnyGatewayRequest,
} from '@bartholomew/mainframe-codec';
import { classifyDatabaseError, type DbLogger } from '@bartholomew/platform/db';
import { secondsUntilWindowCloses, type BatchWindow } from './batch-window';
import type { CoreTransactions } from './transactions';

export interface GatewayServerOptions {
  transactions: Pick<CoreTransactions, 'run'>;
  log: DbLogger;
  maxSessions: number;
  batchWindow: BatchWindow | undefined;
  slowAnswerMs: number;
  slowAnswerBusySessions: number;
  sessionRetrySeconds: number;
  idleTimeoutMs: number;
  /** The clock the batch window is read on. */
  now?: () => Date;
  /** Told of every answer sent, for metrics: the transaction code as read (empty when unreadable), return and reason code. */
  onAnswer?: (tranCode: string, returnCode: ReturnCode, reasonCode: ReasonCode) => void;
}

/** How long a connection refused for the session limit may take to send its first request. */
const REFUSED_CONNECTION_GRACE_MS = 5_000;

/** Requests a session may have read but not yet answered before the gateway stops reading from it. */
const MAX_PENDING_REQUESTS = 32;

/** MSG-SEQUENCE-NO is 9(9): after 999999999 a session's numbering starts again at 1. */
const LAST_SEQUENCE_NO = 999_999_999;
const nextSequenceNo = (sequenceNo: number) => (sequenceNo >= LAST_SEQUENCE_NO ? 1 : sequenceNo + 1);

interface Session {
  socket: net.Socket;
  expectedSequenceNo: number;
  /** Requests read and not answered yet. */
  pending: number;
  /** The client broke framing: nothing more is read from it. */
  broken?: boolean;
  /** The requests of this session, chained: each runs after the one before has been answered. */
  queue: Promise<void>;
}

interface Answer {
  tranCode: string;
  clientId: string;
  sequenceNo: number;
  returnCode: ReturnCode;
  reasonCode: ReasonCode;
  retrySeconds?: number;
}

export class GatewayServer {
  private readonly server: net.Server;
  private readonly sessions = new Set<Session>();
  private readonly refused = new Set<net.Socket>();
  private busy = 0;
  private closing: Promise<void> | undefined;
  private readonly now: () => Date;

  constructor(private readonly options: GatewayServerOptions) {
    this.now = options.now ?? (() => new Date());
    this.server = net.createServer((socket) => this.accept(socket));
  }

  /** Sessions open now. */
  get sessionCount(): number {
    return this.sessions.size;
  }

  /** The TCP listener is open and not closing: new sessions can come in. */
  get accepting(): boolean {
    return this.server.listening && !this.closing;
  }

  async listen(port: number, host: string): Promise<net.AddressInfo> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    return this.server.address() as net.AddressInfo;
  }

  /** Stops accepting, lets each session finish the requests it has (up to `graceMs`), then closes every connection. */
  close(graceMs: number): Promise<void> {
    this.closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => this.server.close(() => resolve()));
      for (const socket of this.refused) socket.destroy();
      const sessions = [...this.sessions];
      // No new requests are read; those already read are answered.
      for (const session of sessions) session.socket.pause();
      const finished = Promise.all(sessions.map((session) => session.queue));
      const timer = delay(graceMs, undefined, { ref: false });
      await Promise.race([finished, timer]);
      for (const session of sessions) session.socket.destroy();
      await stopped;
    })();
    return this.closing;
  }

  /** An answer without a record (a refusal or an error), counted like every answer. */
  private headerOnly(answer: Answer): Buffer {
    this.options.onAnswer?.(answer.tranCode, answer.returnCode, answer.reasonCode);
    return encodeFrame(encodeHeaderOnlyResponse({ retrySeconds: 0, ...answer }));
  }

  private accept(socket: net.Socket): void {
    socket.on('error', (err) => this.options.log.debug({ err }, 'a gateway connection failed'));
    if (this.closing) {
      socket.destroy();
      return;
    }
    if (this.sessions.size >= this.options.maxSessions) {
      this.refuse(socket);
      return;
    }
    const session: Session = { socket, expectedSequenceNo: 1, pending: 0, queue: Promise.resolve() };
    this.sessions.add(session);
    socket.on('close', () => this.sessions.delete(session));
    socket.setTimeout(this.options.idleTimeoutMs, () => socket.end());
    const reader = new FrameReader();
    socket.on('data', (chunk: Buffer) => {
      let payloads: Buffer[];
      try {
        payloads = reader.push(chunk);
      } catch (error) {
        // The requests that arrived whole before the broken length are answered first.
        if (error instanceof FrameError) for (const payload of error.completedFrames) this.enqueue(session, payload);
        this.breakFraming(session, error);
        return;
      }
      for (const payload of payloads) this.enqueue(session, payload);
      // A client that sends faster than it is answered waits: its requests are not buffered without bound.
      if (session.pending >= MAX_PENDING_REQUESTS) socket.pause();
    });
  }

  /** Serves a request after the ones before it on this session, so answers keep the requests' order. */
  private enqueue(session: Session, payload: Buffer): void {
    session.pending += 1;
    session.queue = session.queue.then(() => this.serve(session, payload));
  }

  /** Answers a connection beyond the session limit once, then closes it. */
  private refuse(socket: net.Socket): void {
    this.refused.add(socket);
    socket.on('close', () => this.refused.delete(socket));
    socket.setTimeout(REFUSED_CONNECTION_GRACE_MS, () => socket.destroy());
    this.options.log.warn({ sessions: this.sessions.size }, 'session limit reached: refusing a connection');
    const reader = new FrameReader();
    socket.on('data', (chunk: Buffer) => {
      let first: Buffer | undefined;
      try {
        first = reader.push(chunk)[0];
      } catch {
        socket.destroy();
        return;
      }
      if (!first) return;
      socket.removeAllListeners('data');
      const header = readableHeader(first);
      socket.end(
        this.headerOnly({
          tranCode: header?.tranCode ?? '',
          clientId: header?.clientId ?? '',
          sequenceNo: header?.sequenceNo ?? 0,
          returnCode: ReturnCode.REFUSED,
          reasonCode: ReasonCode.SESSION_LIMIT,
          retrySeconds: this.options.sessionRetrySeconds,
        }),
      );
    });
  }

  /**
   * A length prefix that broke framing: nothing more is read; once the requests read before it are
   * answered, it is answered INVALID_RECORD (sequence number 0) and the connection is closed.
   */
  private breakFraming(session: Session, error: unknown): void {
    this.options.log.warn({ code: error instanceof FrameError ? error.code : 'UNKNOWN' }, 'a client broke framing: closing its session');
    const { socket } = session;
    session.broken = true;
    socket.removeAllListeners('data');
    socket.pause();
    session.queue = session.queue.then(() => {
      socket.end(this.headerOnly({ tranCode: '', clientId: '', sequenceNo: 0, returnCode: ReturnCode.ERROR, reasonCode: ReasonCode.INVALID_RECORD }));
    });
  }

  /** Answers one request; never rejects (the session's queue must go on), closing the session on a failure it cannot answer. */
  private async serve(session: Session, payload: Buffer): Promise<void> {
    this.busy += 1;
    try {
      const answer = await this.answer(session, payload);
      if (!session.socket.destroyed && session.socket.writable) session.socket.write(answer);
    } catch (error) {
      this.options.log.error({ error: error instanceof Error ? error.name : typeof error }, 'a request could not be answered: closing its session');
      session.socket.destroy();
    } finally {
      this.busy -= 1;
      session.pending -= 1;
      if (session.pending < MAX_PENDING_REQUESTS && !this.closing && !session.broken && session.socket.isPaused()) session.socket.resume();
    }
  }

  private async answer(session: Session, payload: Buffer): Promise<Buffer> {
    let request: AnyGatewayRequest;
    try {
      request = decodeRequest(payload);
    } catch (error) {
      return this.unreadable(session, error);
    }
    const echo = { tranCode: request.tranCode, clientId: request.clientId, sequenceNo: request.sequenceNo };
    if (request.sequenceNo !== session.expectedSequenceNo) {
      return this.headerOnly({
        ...echo,
        sequenceNo: session.expectedSequenceNo,
        returnCode: ReturnCode.ERROR,
        reasonCode: ReasonCode.SEQUENCE_MISMATCH,
      });
    }
    session.expectedSequenceNo = nextSequenceNo(session.expectedSequenceNo);

    const retrySeconds = TRANSACTIONS[request.tranCode].update ? secondsUntilWindowCloses(this.options.batchWindow, this.now()) : 0;
    if (retrySeconds > 0) {
      return this.headerOnly({ ...echo, returnCode: ReturnCode.REFUSED, reasonCode: ReasonCode.BATCH_WINDOW, retrySeconds });
    }
    if (this.options.slowAnswerMs > 0 && this.busy > this.options.slowAnswerBusySessions) await delay(this.options.slowAnswerMs);

    const started = performance.now();
    try {
      const outcome = await this.options.transactions.run(request.tranCode, request.body);
      this.options.log.debug(
        {
          tranCode: request.tranCode,
          sequenceNo: request.sequenceNo,
          returnCode: outcome.returnCode,
          reasonCode: outcome.reasonCode,
          ms: performance.now() - started,
        },
        'transaction answered',
      );
      if (outcome.returnCode >= ReturnCode.REFUSED)
        return this.headerOnly({ ...echo, returnCode: outcome.returnCode, reasonCode: outcome.reasonCode });
      this.options.onAnswer?.(request.tranCode, outcome.returnCode, outcome.reasonCode);
      return encodeFrame(encodeResponse({ ...echo, ...outcome, retrySeconds: 0 } as Parameters<typeof encodeResponse>[0]));
    } catch (error) {
      const reasonCode = classifyDatabaseError(error) === 'unavailable' ? ReasonCode.DATABASE_UNAVAILABLE : ReasonCode.SYSTEM_ERROR;
      // The error itself may carry record values (a CodecError never does; a driver error might): log its kind only.
      this.options.log.error(
        {
          tranCode: request.tranCode,
          reasonCode,
          error: error instanceof Error ? error.name : typeof error,
          code: (error as { code?: unknown })?.code,
        },
        'transaction failed; backed out',
      );
      return this.headerOnly({ ...echo, returnCode: returnCodeOf(reasonCode), reasonCode });
    }
  }

  /** A payload that is no valid request: RC 12 with the codec's reason, echoing what of the header could be read. */
  private unreadable(session: Session, error: unknown): Buffer {
    if (!(error instanceof MessageError)) {
      this.options.log.error({ error: error instanceof Error ? error.name : typeof error }, 'reading a request failed');
      return this.headerOnly({ tranCode: '', clientId: '', sequenceNo: 0, returnCode: ReturnCode.SEVERE, reasonCode: ReasonCode.SYSTEM_ERROR });
    }
    const header = error.header;
    this.options.log.info({ code: error.code, reasonCode: error.reasonCode }, 'refused an unreadable request');
    if (!header) {
      // Not even the sequence number could be read: the session's count stays where it was.
      return this.headerOnly({ tranCode: '', clientId: '', sequenceNo: 0, returnCode: ReturnCode.ERROR, reasonCode: error.reasonCode });
    }
    const echo = { tranCode: header.msgTranCode, clientId: header.msgClientId };
    if (header.msgSequenceNo !== session.expectedSequenceNo) {
      return this.headerOnly({
        ...echo,
        sequenceNo: session.expectedSequenceNo,
        returnCode: ReturnCode.ERROR,
        reasonCode: ReasonCode.SEQUENCE_MISMATCH,
      });
    }
    session.expectedSequenceNo = nextSequenceNo(session.expectedSequenceNo);
    return this.headerOnly({ ...echo, sequenceNo: header.msgSequenceNo, returnCode: ReturnCode.ERROR, reasonCode: error.reasonCode });
  }
}

/** What a refusal echoes of a payload's header, when it can be read. */
function readableHeader(payload: Buffer): Pick<Answer, 'tranCode' | 'clientId' | 'sequenceNo'> | undefined {
  try {
    const { tranCode, clientId, sequenceNo } = decodeRequest(payload);
    return { tranCode, clientId, sequenceNo };
  } catch (error) {
    const header = error instanceof MessageError ? error.header : undefined;
    return header && { tranCode: header.msgTranCode, clientId: header.msgClientId, sequenceNo: header.msgSequenceNo };
  }
}
