import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { CodecError, cp037CodePoint, decodeEbcdic, decodeText, encodeEbcdic, encodeText } from './index';
import { cp037Character } from '../test/support/arbitraries';

/** The published mapping, transcribed in test/fixtures (byte → code point). */
function publishedTable(): Map<number, number> {
  const table = new Map<number, number>();
  for (const line of readFileSync(join(__dirname, '../test/fixtures/cp037-published.txt'), 'utf8').split('\n')) {
    const match = /^0x([0-9A-F]{2})\t0x([0-9A-F]{4})\t#/.exec(line);
    if (match) table.set(parseInt(match[1], 16), parseInt(match[2], 16));
  }
  return table;
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();

describe('EBCDIC code page 037', () => {
  it('maps all 256 bytes exactly as the published CP037 table does', () => {
    const published = publishedTable();
    expect(published.size).toBe(256);
    for (let byte = 0; byte < 256; byte++) expect([byte, cp037CodePoint(byte)]).toEqual([byte, published.get(byte)]);
  });

  it('encodes the golden characters to their published bytes', () => {
    expect(hex(encodeEbcdic('A'))).toBe('C1');
    expect(hex(encodeEbcdic('0'))).toBe('F0');
    expect(hex(encodeEbcdic(' '))).toBe('40');
    expect(hex(encodeEbcdic('a'))).toBe('81');
    expect(hex(encodeEbcdic('Z9'))).toBe('E9F9');
    expect(hex(encodeEbcdic('HELLO WORLD'))).toBe('C8C5D3D3D640E6D6D9D3C4');
    expect(hex(encodeEbcdic('ada@example.com'))).toBe('8184817C85A78194979385' + '4B839694');
    expect(hex(encodeEbcdic('$¢!|[]^¬'))).toBe('5B4A5A4FBABBB05F');
    expect(hex(encodeEbcdic('José'))).toBe('D196A251');
    expect(hex(encodeEbcdic('\n\u0085'))).toBe('2515');
  });

  it('decodes every byte string and encodes it back to the same bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => expect(hex(encodeEbcdic(decodeEbcdic(bytes)))).toBe(hex(bytes))));
  });

  it('encodes every text of U+0000–U+00FF and decodes it back unchanged', () => {
    fc.assert(
      fc.property(fc.string({ unit: cp037Character, maxLength: 300 }), (text) => {
        const bytes = encodeEbcdic(text);
        expect(bytes).toHaveLength(text.length);
        expect(decodeEbcdic(bytes)).toBe(text);
      }),
    );
  });

  it('refuses characters code page 037 does not have, telling where but not what', () => {
    for (const text of ['Łukasz', 'price €5', 'smile 😀', 'Ωmega']) {
      let error: unknown;
      try {
        encodeEbcdic(text, 'CUST-LEGAL-NAME');
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(CodecError);
      expect(error).toMatchObject({ code: 'UNMAPPABLE_CHARACTER', field: 'CUST-LEGAL-NAME' });
      expect((error as Error).message).toMatch(/^CUST-LEGAL-NAME: character \d+ has no code page 037 byte$/);
    }
  });

  it('refuses any character above U+00FF, whatever it is', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0x100, max: 0xffff }), fieldTextPair(), (code, [before, after]) => {
        expect(() => encodeEbcdic(before + String.fromCharCode(code) + after)).toThrow(
          expect.objectContaining({ code: 'UNMAPPABLE_CHARACTER', message: `character ${before.length + 1} has no code page 037 byte` }),
        );
      }),
    );
  });
});

function fieldTextPair() {
  return fc.tuple(fc.string({ unit: cp037Character, maxLength: 10 }), fc.string({ unit: cp037Character, maxLength: 10 }));
}

describe('PIC X fields', () => {
  it('left-justifies text and pads it with EBCDIC spaces to the field width', () => {
    expect(hex(encodeText('AB', 5))).toBe('C1C2404040');
    expect(hex(encodeText('', 3))).toBe('404040');
    expect(hex(encodeText('ABC', 3))).toBe('C1C2C3');
  });

  it('refuses text longer than the field instead of cutting it', () => {
    expect(() => encodeText('ABCD', 3, 'CUST-STATE')).toThrow(
      expect.objectContaining({ code: 'OVERFLOW', message: 'CUST-STATE: 4 characters do not fit in 3' }),
    );
  });

  it('refuses a value that is not a string', () => {
    expect(() => encodeText(42 as unknown as string, 3, 'CUST-STATE')).toThrow(expect.objectContaining({ code: 'WRONG_TYPE' }));
  });

  it('reads text back without the trailing padding, keeping leading spaces', () => {
    expect(decodeText(Buffer.from([0x40, 0xc1, 0x40, 0xc2, 0x40, 0x40]))).toBe(' A B');
    expect(decodeText(Buffer.from([0x40, 0x40]))).toBe('');
    // A no-break space (0x41) is text, not padding.
    expect(decodeText(Buffer.from([0xc1, 0x41]))).toBe('A\u00a0');
  });

  it('round-trips any text without trailing spaces through a field of any width it fits', () => {
    fc.assert(
      fc.property(fc.string({ unit: cp037Character, maxLength: 40 }), fc.nat({ max: 20 }), (raw, slack) => {
        const text = raw.replace(/ +$/, '');
        const bytes = encodeText(text, text.length + slack);
        expect(bytes).toHaveLength(text.length + slack);
        expect(decodeText(bytes)).toBe(text);
      }),
    );
  });
});
