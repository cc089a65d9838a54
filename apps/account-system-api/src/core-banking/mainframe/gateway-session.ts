import net from 'node:net';
import {
  decodeResponse,
  encodeFrame,
  encodeRequest,
  FrameReader,
  ReasonCode,
  ReturnCode,
  type GatewayResponse,
  type RequestOf,
  type TranCode,
} from '@bartholomew/mainframe-codec';

/** MSG-SEQUENCE-NO is 9(9): after 999999999 the gateway expects 1 again. */
const LAST_SEQUENCE_NO = 999_999_999;

/** Why a session could not deliver an answer; `requestSent` says whether the gateway may have run the request. */
export class SessionFailure extends Error {
  override readonly name = 'SessionFailure';
  constructor(
    readonly kind: 'connection' | 'timeout' | 'session-limit' | 'protocol',
    /** The request's bytes were handed to the socket: the gateway may have run it, its answer is lost. */
    readonly requestSent: boolean,
    message: string,
    /** MSG-RETRY-SECONDS of a session-limit answer, in milliseconds. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/** A request whose values the record cannot hold (a character outside code page 037, a text too long): nothing was sent. */
export class RequestNotEncodable extends Error {
  override readonly name = 'RequestNotEncodable';
  constructor(options: { cause: unknown }) {
    // The codec's message names the field, never its value.
    super(`the request does not fit its record: ${(options.cause as Error).message}`, options);
  }
}

interface PendingCall {
  resolve: (payload: Buffer) => void;
  reject: (failure: SessionFailure) => void;
}

/**
 * One session (TCP connection) with the core-banking gateway: LLLL frames, requests numbered
 * 1, 2, 3, … in step with the gateway. One request at a time: the pool gives concurrency, and a
 * session whose answer did not come in time is thrown away rather than reused — its late answer
 * would otherwise be read as the answer to the next request.
 */
export class GatewaySession {
  private readonly reader = new FrameReader();
  private nextSequenceNo = 1;
  private pending: PendingCall | undefined;
  private failed = false;

  private constructor(
    private readonly socket: net.Socket,
    private readonly clientId: string,
  ) {
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', () => this.fail(new SessionFailure('connection', true, 'the gateway connection failed')));
    socket.on('close', () => this.fail(new SessionFailure('connection', true, 'the gateway closed the connection')));
  }

  /** Opens a session; a refused or unreachable gateway fails within `timeoutMs`. */
  static open(host: string, port: number, clientId: string, timeoutMs: number): Promise<GatewaySession> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new SessionFailure('timeout', false, `no connection to the gateway within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once('error', () => {
        clearTimeout(timer);
        socket.destroy();
        reject(new SessionFailure('connection', false, 'the gateway refused the connection'));
      });
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new GatewaySession(socket, clientId));
      });
    });
  }

  /** Still usable: connected, in step, nothing lost. */
  get usable(): boolean {
    return !this.failed && !this.socket.destroyed;
  }

  /**
   * Sends one request and reads its answer. A sequence-number mismatch (RC 12, 1201: the request
   * was not run) is resent once with the number the gateway expects. Rejects with SessionFailure
   * (after which the session is closed) or RequestNotEncodable (the session stays usable).
   */
  async call<C extends TranCode>(tranCode: C, body: RequestOf<C>, timeoutMs: number): Promise<GatewayResponse<C>> {
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 1; ; attempt++) {
      const sequenceNo = this.nextSequenceNo;
      let frame: Buffer;
      try {
        frame = encodeFrame(encodeRequest({ tranCode, clientId: this.clientId, sequenceNo, body }));
      } catch (error) {
        throw new RequestNotEncodable({ cause: error });
      }
      this.nextSequenceNo = sequenceNo >= LAST_SEQUENCE_NO ? 1 : sequenceNo + 1;
      const payload = await this.exchange(frame, deadline - Date.now());
      let response: GatewayResponse<C>;
      try {
        response = decodeResponse(payload, tranCode);
      } catch {
        throw this.abandon(new SessionFailure('protocol', true, `the gateway's answer to ${tranCode} could not be read`));
      }
      if (response.returnCode === ReturnCode.ERROR && response.reasonCode === ReasonCode.SEQUENCE_MISMATCH) {
        // Not run: take the gateway's count and send it again, once.
        this.nextSequenceNo = response.sequenceNo;
        if (attempt < 2) continue;
        throw this.abandon(new SessionFailure('protocol', false, 'the gateway keeps refusing the sequence number'));
      }
      if (response.returnCode === ReturnCode.REFUSED && response.reasonCode === ReasonCode.SESSION_LIMIT) {
        throw this.abandon(new SessionFailure('session-limit', false, 'every session of the gateway is in use', response.retrySeconds * 1000));
      }
      if (response.sequenceNo !== sequenceNo) {
        throw this.abandon(new SessionFailure('protocol', true, `the gateway answered sequence number ${response.sequenceNo}, not ${sequenceNo}`));
      }
      return response;
    }
  }

  /** Ends the session; nothing is waiting on it (the pool closes idle sessions only, or after the call). */
  close(): void {
    this.failed = true;
    this.socket.destroy();
  }

  private exchange(frame: Buffer, timeoutMs: number): Promise<Buffer> {
    if (!this.usable) return Promise.reject(new SessionFailure('connection', false, 'the session is closed'));
    if (timeoutMs <= 0) return Promise.reject(new SessionFailure('timeout', false, 'no time left to send the request'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.fail(new SessionFailure('timeout', true, `the gateway did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending = {
        resolve: (payload) => {
          clearTimeout(timer);
          resolve(payload);
        },
        reject: (failure) => {
          clearTimeout(timer);
          reject(failure);
        },
      };
      this.socket.write(frame);
    });
  }

  private receive(chunk: Buffer): void {
    let payloads: Buffer[];
    try {
      payloads = this.reader.push(chunk);
    } catch {
      this.fail(new SessionFailure('protocol', true, 'the gateway broke framing'));
      return;
    }
    for (const payload of payloads) {
      const call = this.pending;
      this.pending = undefined;
      // An answer nobody waits for means the session is out of step: it cannot be trusted any more.
      if (!call) this.fail(new SessionFailure('protocol', false, 'the gateway sent an answer nobody asked for'));
      else call.resolve(payload);
    }
  }

  /** Marks the session broken, fails the call waiting on it and closes the connection. */
  private fail(failure: SessionFailure): void {
    this.failed = true;
    const call = this.pending;
    this.pending = undefined;
    call?.reject(failure);
    this.socket.destroy();
  }

  private abandon(failure: SessionFailure): SessionFailure {
    this.fail(failure);
    return failure;
  }
}
