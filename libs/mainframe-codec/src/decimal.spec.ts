import fc from 'fast-check';
import { CodecError, decodePacked, decodeZoned, encodePacked, encodeZoned, packedLength, type DecimalPicture } from './index';
import { decimalValue } from '../test/support/arbitraries';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();
const bytes = (text: string) => Buffer.from(text.replace(/ /g, ''), 'hex');
const pic = (digits: number, signed: boolean, scale = 0): DecimalPicture => ({ digits, scale, signed });

/** The error `run` throws, for asserting its code and message. */
function errorOf(run: () => unknown): CodecError {
  try {
    run();
  } catch (error) {
    if (error instanceof CodecError) return error;
    throw error;
  }
  throw new Error('expected a CodecError');
}

const picture = fc.record({ digits: fc.integer({ min: 1, max: 31 }), scale: fc.constant(0), signed: fc.boolean() });
const pictureAndValue = picture.chain((p) => fc.tuple(fc.constant(p), decimalValue(p.digits, p.signed)));

describe('packed decimal (COMP-3)', () => {
  it('writes the golden vectors of IBM packed decimal', () => {
    expect(hex(encodePacked(12345, pic(5, true)))).toBe('12345C');
    expect(hex(encodePacked(-12345, pic(5, true)))).toBe('12345D');
    expect(hex(encodePacked(12345, pic(5, false)))).toBe('12345F');
    // An even digit count starts with a zero pad nibble.
    expect(hex(encodePacked(1234, pic(4, true)))).toBe('01234C');
    expect(hex(encodePacked(0, pic(3, true)))).toBe('000C');
    expect(hex(encodePacked(-1, pic(1, true)))).toBe('1D');
    // PIC S9(15)V99 COMP-3: $123.45 is 12345 cents, in 9 bytes.
    expect(hex(encodePacked(12345n, pic(17, true, 2)))).toBe('00000000000012345C');
    expect(hex(encodePacked(-99999999999999999n, pic(17, true, 2)))).toBe('99999999999999999D');
  });

  it('reads the golden vectors back, taking F as positive in a signed field and C in an unsigned one', () => {
    expect(decodePacked(bytes('12 34 5C'), pic(5, true))).toBe(12345n);
    expect(decodePacked(bytes('12 34 5D'), pic(5, true))).toBe(-12345n);
    expect(decodePacked(bytes('12 34 5F'), pic(5, true))).toBe(12345n);
    expect(decodePacked(bytes('12 34 5C'), pic(5, false))).toBe(12345n);
    expect(decodePacked(bytes('00 0D'), pic(3, true))).toBe(0n);
  });

  it('is floor(digits / 2) + 1 bytes long', () => {
    expect([1, 2, 3, 4, 5, 17, 18, 31].map(packedLength)).toEqual([1, 2, 2, 3, 3, 9, 10, 16]);
  });

  it('round-trips every value of every picture up to 31 digits', () => {
    fc.assert(
      fc.property(pictureAndValue, ([p, value]) => {
        const encoded = encodePacked(value, p);
        expect(encoded).toHaveLength(packedLength(p.digits));
        expect(decodePacked(encoded, p)).toBe(value);
      }),
    );
  });

  it('refuses sign nibbles other than C, D and F, and D in an unsigned field', () => {
    for (const sign of ['A', 'B', 'E', '0', '9']) {
      expect(errorOf(() => decodePacked(bytes(`12 34 5${sign}`), pic(5, true), 'TXN-AMOUNT'))).toMatchObject({
        code: 'INVALID_SIGN',
        message: 'TXN-AMOUNT: the sign nibble is not C, D or F',
      });
    }
    expect(errorOf(() => decodePacked(bytes('12 34 5D'), pic(5, false)))).toMatchObject({ code: 'INVALID_SIGN' });
  });

  it('refuses digit nibbles above 9 and a non-zero pad nibble', () => {
    expect(errorOf(() => decodePacked(bytes('1A 34 5C'), pic(5, true), 'BAL-LEDGER'))).toMatchObject({
      code: 'NOT_NUMERIC',
      message: 'BAL-LEDGER: digit 2 is not a packed decimal digit',
    });
    // EBCDIC spaces read as digits 4 and 0, but then the sign nibble is 0.
    expect(errorOf(() => decodePacked(bytes('40 40 40'), pic(5, true)))).toMatchObject({ code: 'INVALID_SIGN' });
    expect(errorOf(() => decodePacked(bytes('11 23 4C'), pic(4, true)))).toMatchObject({ code: 'OVERFLOW' });
  });

  it('reads any bytes either to a value that re-encodes to the same value or to a CodecError', () => {
    fc.assert(
      fc.property(picture, fc.uint8Array({ minLength: 16, maxLength: 16 }), (p, random) => {
        const field = random.subarray(0, packedLength(p.digits));
        let value: bigint;
        try {
          value = decodePacked(field, p);
        } catch (error) {
          expect(error).toBeInstanceOf(CodecError);
          return;
        }
        expect(decodePacked(encodePacked(value, p), p)).toBe(value);
      }),
    );
  });
});

describe('zoned decimal (USAGE DISPLAY)', () => {
  it('writes the golden vectors, the sign overpunched in the last zone', () => {
    expect(hex(encodeZoned(-123, pic(3, true)))).toBe('F1F2D3');
    expect(hex(encodeZoned(123, pic(3, true)))).toBe('F1F2C3');
    expect(hex(encodeZoned(123, pic(3, false)))).toBe('F1F2F3');
    expect(hex(encodeZoned(7, pic(5, false)))).toBe('F0F0F0F0F7');
    expect(hex(encodeZoned(0, pic(4, true)))).toBe('F0F0F0C0');
    expect(hex(encodeZoned(-5, pic(4, true)))).toBe('F0F0F0D5');
  });

  it('reads the golden vectors back, taking F as positive in a signed field and C in an unsigned one', () => {
    expect(decodeZoned(bytes('F1 F2 D3'), pic(3, true))).toBe(-123n);
    expect(decodeZoned(bytes('F1 F2 C3'), pic(3, true))).toBe(123n);
    expect(decodeZoned(bytes('F1 F2 F3'), pic(3, true))).toBe(123n);
    expect(decodeZoned(bytes('F1 F2 C3'), pic(3, false))).toBe(123n);
  });

  it('round-trips every value of every picture up to 31 digits', () => {
    fc.assert(
      fc.property(pictureAndValue, ([p, value]) => {
        const encoded = encodeZoned(value, p);
        expect(encoded).toHaveLength(p.digits);
        expect(decodeZoned(encoded, p)).toBe(value);
      }),
    );
  });

  it('refuses spaces, letters and signs anywhere but the last byte', () => {
    expect(errorOf(() => decodeZoned(bytes('40 40 40'), pic(3, false), 'CUST-ID'))).toMatchObject({
      code: 'NOT_NUMERIC',
      message: 'CUST-ID: byte 1 is not a zoned decimal digit',
    });
    expect(errorOf(() => decodeZoned(bytes('F1 C2 F3'), pic(3, true)))).toMatchObject({
      code: 'NOT_NUMERIC',
      problem: 'byte 2 is not a zoned decimal digit',
    });
    expect(errorOf(() => decodeZoned(bytes('F1 F2 FA'), pic(3, true)))).toMatchObject({ code: 'NOT_NUMERIC' });
    // 'A' (C1) in the last byte is +1 to COBOL too; 'J' (D1) is -1: the overpunch is what it is.
    expect(decodeZoned(bytes('F0 C1'), pic(2, true))).toBe(1n);
    expect(errorOf(() => decodeZoned(bytes('F1 F2 D3'), pic(3, false)))).toMatchObject({ code: 'INVALID_SIGN' });
    expect(errorOf(() => decodeZoned(bytes('F1 F2 B3'), pic(3, true)))).toMatchObject({ code: 'INVALID_SIGN' });
  });

  it('reads any bytes either to a value that re-encodes to the same value or to a CodecError', () => {
    fc.assert(
      fc.property(picture, fc.uint8Array({ minLength: 31, maxLength: 31 }), (p, random) => {
        const field = random.subarray(0, p.digits);
        let value: bigint;
        try {
          value = decodeZoned(field, p);
        } catch (error) {
          expect(error).toBeInstanceOf(CodecError);
          return;
        }
        expect(decodeZoned(encodeZoned(value, p), p)).toBe(value);
      }),
    );
  });
});

describe('values given to decimal fields', () => {
  it('refuses values with more digits than the picture, naming the field', () => {
    for (const encode of [encodePacked, encodeZoned]) {
      expect(errorOf(() => encode(123456, pic(5, true), 'TXN-AMOUNT'))).toMatchObject({
        code: 'OVERFLOW',
        message: 'TXN-AMOUNT: the value has more than 5 digits',
      });
      expect(errorOf(() => encode(-100000n, pic(5, true)))).toMatchObject({ code: 'OVERFLOW' });
      expect(encode(99999, pic(5, true))).toBeDefined();
    }
  });

  it('refuses fractions, NaN, unsafe numbers and strings as not numeric', () => {
    for (const encode of [encodePacked, encodeZoned]) {
      for (const value of [1.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53, '12', null, undefined]) {
        expect(errorOf(() => encode(value as number, pic(17, true), 'TXN-AMOUNT'))).toMatchObject({ code: 'NOT_NUMERIC', field: 'TXN-AMOUNT' });
      }
    }
  });

  it('refuses a negative value for an unsigned field', () => {
    expect(errorOf(() => encodePacked(-1, pic(5, false)))).toMatchObject({ code: 'INVALID_SIGN' });
    expect(errorOf(() => encodeZoned(-1n, pic(5, false)))).toMatchObject({ code: 'INVALID_SIGN' });
  });

  it('never repeats the value in an error message', () => {
    const secret = 987654321;
    for (const run of [() => encodeZoned(secret, pic(4, false), 'CUST-TAX-ID'), () => encodePacked(-secret, pic(9, false), 'CUST-TAX-ID')]) {
      expect(errorOf(run).message).not.toMatch(/987654321/);
    }
  });
});
