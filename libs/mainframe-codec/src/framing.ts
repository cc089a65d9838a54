/**
 * Frames on the gateway's TCP connections, in the manner of IMS Connect: each message is preceded
 * by LLLL, a 4-byte big-endian unsigned length of the whole frame *including the LLLL itself*
 * (IMS Connect's "total message length includes the length of the llll field"). A frame of 60
 * payload bytes therefore starts 00 00 00 40.
 *
 * TCP delivers a byte stream, not messages: one `data` chunk may hold half a frame, or three and a
 * half. `FrameReader` takes chunks as they come and hands back whole payloads. Both sides agree on
 * a maximum frame size, checked as soon as the length arrives (before buffering the body), so a
 * wrong or hostile length cannot make the reader hold gigabytes. After a framing error the stream
 * is out of step for good: the reader refuses further input and the connection must be closed.
 */
import { FrameError, FrameErrorCode } from './errors';

/** Bytes of the LLLL length prefix. */
export const LENGTH_PREFIX_BYTES = 4;

/** The default largest frame, LLLL included: 32 KiB, the size of an IMS message segment. */
export const DEFAULT_MAX_FRAME_BYTES = 32 * 1024;

export interface FrameOptions {
  /** Largest frame accepted or written, LLLL included. Default `DEFAULT_MAX_FRAME_BYTES`. */
  maxFrameBytes?: number;
}

function maxFrameBytesOf(options: FrameOptions): number {
  const max = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  if (!Number.isSafeInteger(max) || max <= LENGTH_PREFIX_BYTES || max > 0xffffffff) {
    throw new RangeError(`maxFrameBytes must be an integer above ${LENGTH_PREFIX_BYTES} and at most 2^32 - 1`);
  }
  return max;
}

/** `payload` with its LLLL in front. An empty payload or a frame above the maximum is refused. */
export function encodeFrame(payload: Uint8Array, options: FrameOptions = {}): Buffer {
  const max = maxFrameBytesOf(options);
  const total = LENGTH_PREFIX_BYTES + payload.length;
  if (payload.length === 0) throw new FrameError(FrameErrorCode.FRAME_TOO_SHORT, 'a frame carries at least one byte');
  if (total > max) throw new FrameError(FrameErrorCode.FRAME_TOO_LARGE, `a frame of ${total} bytes is above the maximum of ${max}`);
  const frame = Buffer.allocUnsafe(total);
  frame.writeUInt32BE(total, 0);
  frame.set(payload, LENGTH_PREFIX_BYTES);
  return frame;
}

/**
 * Turns the chunks of a byte stream into frame payloads:
 *
 * ```ts
 * const reader = new FrameReader({ maxFrameBytes });
 * socket.on('data', (chunk) => { for (const payload of reader.push(chunk)) handle(payload); });
 * socket.on('end', () => reader.end());
 * ```
 */
export class FrameReader {
  private readonly maxFrameBytes: number;
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** LLLL of the frame being read, once its four bytes are in. */
  private frameLength: number | undefined;
  private failed = false;

  constructor(options: FrameOptions = {}) {
    this.maxFrameBytes = maxFrameBytesOf(options);
  }

  /** Bytes received that do not make a whole frame yet. */
  get pendingBytes(): number {
    return this.buffered;
  }

  /**
   * Takes the next chunk of the stream and returns the payloads of every frame it completes, in
   * order. A length that breaks framing throws FrameError, carrying the frames the chunk completed before it.
   */
  push(chunk: Uint8Array): Buffer[] {
    if (this.failed) throw new FrameError(FrameErrorCode.READER_FAILED, 'the stream already broke framing; close the connection');
    if (chunk.length > 0) {
      // A copy: the caller (a socket, a test) may reuse the chunk's memory once push returns.
      this.chunks.push(Buffer.from(chunk));
      this.buffered += chunk.length;
    }
    const payloads: Buffer[] = [];
    for (;;) {
      if (this.frameLength === undefined) {
        if (this.buffered < LENGTH_PREFIX_BYTES) break;
        this.frameLength = this.take(LENGTH_PREFIX_BYTES).readUInt32BE(0);
        try {
          this.checkLength(this.frameLength);
        } catch (error) {
          if (error instanceof FrameError) error.completedFrames = payloads;
          throw error;
        }
      }
      const payloadLength = this.frameLength - LENGTH_PREFIX_BYTES;
      if (this.buffered < payloadLength) break;
      payloads.push(this.take(payloadLength));
      this.frameLength = undefined;
    }
    return payloads;
  }

  /** The stream ended: an error if it stopped inside a frame. */
  end(): void {
    if (this.failed || this.buffered > 0 || this.frameLength !== undefined) {
      this.failed = true;
      throw new FrameError(FrameErrorCode.TRUNCATED_FRAME, 'the stream ended inside a frame');
    }
  }

  private checkLength(length: number): void {
    if (length <= LENGTH_PREFIX_BYTES) {
      this.failed = true;
      throw new FrameError(FrameErrorCode.FRAME_TOO_SHORT, `a frame length of ${length} leaves no payload`);
    }
    if (length > this.maxFrameBytes) {
      this.failed = true;
      throw new FrameError(FrameErrorCode.FRAME_TOO_LARGE, `a frame of ${length} bytes is above the maximum of ${this.maxFrameBytes}`);
    }
  }

  /** Removes the next `length` buffered bytes (which must be there) and returns them. */
  private take(length: number): Buffer {
    const first = this.chunks[0];
    let taken: Buffer;
    if (first.length >= length) {
      taken = first.subarray(0, length);
      if (first.length === length) this.chunks.shift();
      else this.chunks[0] = first.subarray(length);
    } else {
      const whole = Buffer.concat(this.chunks, this.buffered);
      taken = whole.subarray(0, length);
      this.chunks = whole.length > length ? [whole.subarray(length)] : [];
    }
    this.buffered -= length;
    return taken;
  }
}
