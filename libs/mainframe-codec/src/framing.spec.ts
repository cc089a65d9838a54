import fc from 'fast-check';
import { DEFAULT_MAX_FRAME_BYTES, encodeFrame, FrameError, FrameReader } from './index';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();

function frameErrorOf(run: () => unknown): FrameError {
  try {
    run();
  } catch (error) {
    if (error instanceof FrameError) return error;
    throw error;
  }
  throw new Error('expected a FrameError');
}

/** `stream` cut at `cuts` (positions, any order, duplicates allowed) into consecutive chunks. */
function chunked(stream: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((cut) => cut % (stream.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let from = 0;
  for (const point of [...points, stream.length]) {
    chunks.push(stream.subarray(from, point));
    from = point;
  }
  return chunks;
}

describe('encodeFrame', () => {
  it('puts the length of the whole frame, its own four bytes included, in front, big-endian', () => {
    expect(hex(encodeFrame(Buffer.from([0xc1, 0xc2, 0xc3])))).toBe('00000007C1C2C3');
    expect(hex(encodeFrame(Buffer.alloc(60, 0x40)).subarray(0, 4))).toBe('00000040');
    expect(hex(encodeFrame(Buffer.alloc(0x1234 - 4)).subarray(0, 4))).toBe('00001234');
  });

  it('refuses an empty payload and a frame above the maximum', () => {
    expect(frameErrorOf(() => encodeFrame(Buffer.alloc(0))).code).toBe('FRAME_TOO_SHORT');
    expect(frameErrorOf(() => encodeFrame(Buffer.alloc(DEFAULT_MAX_FRAME_BYTES - 3))).code).toBe('FRAME_TOO_LARGE');
    expect(encodeFrame(Buffer.alloc(DEFAULT_MAX_FRAME_BYTES - 4))).toHaveLength(DEFAULT_MAX_FRAME_BYTES);
    expect(frameErrorOf(() => encodeFrame(Buffer.alloc(100), { maxFrameBytes: 103 })).code).toBe('FRAME_TOO_LARGE');
  });

  it('refuses a maximum frame size that cannot hold a byte of payload', () => {
    for (const maxFrameBytes of [4, 0, -1, 1.5, 2 ** 32]) expect(() => new FrameReader({ maxFrameBytes })).toThrow(RangeError);
  });
});

describe('FrameReader', () => {
  const payloads = fc.array(fc.uint8Array({ minLength: 1, maxLength: 300 }), { maxLength: 12 });

  it('gives back every payload, in order, however the stream is cut into chunks', () => {
    fc.assert(
      fc.property(payloads, fc.array(fc.nat(), { maxLength: 40 }), (sent, cuts) => {
        const stream = Buffer.concat(sent.map((payload) => encodeFrame(payload)));
        const reader = new FrameReader();
        const received = chunked(stream, cuts).flatMap((chunk) => reader.push(chunk));
        expect(received.map(hex)).toEqual(sent.map(hex));
        expect(reader.pendingBytes).toBe(0);
        expect(() => reader.end()).not.toThrow();
      }),
    );
  });

  it('gives back several frames packed into one chunk at once', () => {
    const reader = new FrameReader();
    const stream = Buffer.concat([encodeFrame(Buffer.from('a')), encodeFrame(Buffer.from('bc')), encodeFrame(Buffer.from('def')).subarray(0, 5)]);
    expect(reader.push(stream).map((payload) => payload.toString())).toEqual(['a', 'bc']);
    expect(reader.pendingBytes).toBe(1);
    expect(reader.push(Buffer.from('ef')).map((payload) => payload.toString())).toEqual(['def']);
  });

  it('keeps a payload intact when the caller reuses the chunk it pushed', () => {
    const reader = new FrameReader();
    const chunk = Buffer.from(encodeFrame(Buffer.from('HELLO')).subarray(0, 7));
    expect(reader.push(chunk)).toEqual([]);
    chunk.fill(0);
    expect(reader.push(Buffer.from('LO')).map((payload) => payload.toString())).toEqual(['HELLO']);
  });

  it('refuses a frame above the maximum as soon as its length arrives, before its body', () => {
    const reader = new FrameReader({ maxFrameBytes: 1000 });
    const error = frameErrorOf(() => reader.push(Buffer.from([0x00, 0x00, 0x03, 0xe9])));
    expect(error).toMatchObject({ code: 'FRAME_TOO_LARGE', message: 'a frame of 1001 bytes is above the maximum of 1000' });
    expect(frameErrorOf(() => new FrameReader().push(Buffer.from([0xff, 0xff, 0xff, 0xff]))).code).toBe('FRAME_TOO_LARGE');
  });

  it('hands over, with the error, the frames the same chunk completed before a length that broke framing', () => {
    const reader = new FrameReader();
    const stream = Buffer.concat([encodeFrame(Buffer.from('a')), encodeFrame(Buffer.from('bc')), Buffer.from([0, 0, 0, 0])]);
    const error = frameErrorOf(() => reader.push(stream));
    expect(error.code).toBe('FRAME_TOO_SHORT');
    expect(error.completedFrames.map((payload) => payload.toString())).toEqual(['a', 'bc']);
  });

  it('refuses a length that leaves no payload', () => {
    for (const length of [0, 1, 4]) {
      expect(frameErrorOf(() => new FrameReader().push(Buffer.from([0, 0, 0, length])))).toMatchObject({ code: 'FRAME_TOO_SHORT' });
    }
  });

  it('refuses more input once the stream broke framing, since it is out of step for good', () => {
    const reader = new FrameReader();
    frameErrorOf(() => reader.push(Buffer.from([0, 0, 0, 0])));
    expect(frameErrorOf(() => reader.push(encodeFrame(Buffer.from('ok')))).code).toBe('READER_FAILED');
  });

  it('reports a stream that ends inside a frame, in its length or in its payload', () => {
    const frame = encodeFrame(Buffer.from('HELLO'));
    for (const cut of [1, 4, 8]) {
      const reader = new FrameReader();
      reader.push(frame.subarray(0, cut));
      expect(frameErrorOf(() => reader.end()).code).toBe('TRUNCATED_FRAME');
    }
  });

  it('never hands out a payload longer than the maximum allows, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (noise) => {
        const reader = new FrameReader({ maxFrameBytes: 64 });
        let received: Buffer[] = [];
        try {
          received = reader.push(noise);
        } catch (error) {
          expect(error).toBeInstanceOf(FrameError);
        }
        for (const payload of received) expect(payload.length).toBeLessThanOrEqual(60);
      }),
    );
  });
});
