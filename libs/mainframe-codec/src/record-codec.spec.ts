import fc from 'fast-check';
import { CodecError, GATEWAY_LAYOUTS, gatewayCodec, parseRecord, RecordCodec, type DecodedRecord, type RecordName } from './index';
import { recordValue } from '../test/support/arbitraries';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();

const SMALL = `       01  SMALL-RECORD.
           05  SR-CODE            PIC X(3).
           05  SR-COUNT           PIC 9(3).
           05  SR-AMOUNT          PIC S9(3)V99 COMP-3.
           05  FILLER             PIC X(2).
           05  SR-ROW             OCCURS 2 TIMES.
               10  SR-ROW-ID      PIC S9(2).
           05  SR-BIG             PIC 9(16).
`;

function errorOf(run: () => unknown): CodecError {
  try {
    run();
  } catch (error) {
    if (error instanceof CodecError) return error;
    throw error;
  }
  throw new Error('expected a CodecError');
}

describe('RecordCodec', () => {
  const small = new RecordCodec(parseRecord(SMALL));
  const value = { srCode: 'AB', srCount: 7, srAmount: -12345, srRow: [{ srRowId: -1 }, { srRowId: 42 }], srBig: 9_007_199_254_740_993n };

  it('encodes a record to the bytes written by hand from its copybook', () => {
    expect(hex(small.encode(value))).toBe(
      [
        'C1C240', // SR-CODE 'AB' padded with an EBCDIC space
        'F0F0F7', // SR-COUNT 7, zoned, unsigned: F zones
        '12345D', // SR-AMOUNT -123.45 in cents, packed, negative
        '4040', // FILLER: spaces
        'F0D1', // SR-ROW(1) -1: the sign overpunched in the last zone
        'F4C2', // SR-ROW(2) +42
        'F9F0F0F7F1F9F9F2F5F4F7F4F0F9F9F3', // SR-BIG 9007199254740993, beyond 2^53
      ].join(''),
    );
  });

  it('decodes numbers of up to 15 digits as numbers and longer ones as bigints', () => {
    const decoded = small.decode(small.encode(value));
    expect(decoded).toEqual(value);
    expect(typeof decoded.srCount).toBe('number');
    expect(typeof decoded.srBig).toBe('bigint');
  });

  it('writes the rows not given, and a fresh record, as INITIALIZE leaves them', () => {
    const bytes = small.encode({ ...value, srRow: [{ srRowId: 5 }] });
    expect(hex(bytes.subarray(11, 15))).toBe('F0C5F0C0');
    expect(small.initial()).toEqual({ srCode: '', srCount: 0, srAmount: 0, srRow: [{ srRowId: 0 }, { srRowId: 0 }], srBig: 0n });
    expect(hex(small.encode(small.initial()))).toBe(`404040F0F0F0${'00000C'}4040F0C0F0C0${'F0'.repeat(16)}`);
  });

  it('refuses a value without a field, naming it', () => {
    const missing: Partial<typeof value> = { ...value };
    delete missing.srCount;
    expect(errorOf(() => small.encode(missing as typeof value))).toMatchObject({
      code: 'MISSING_FIELD',
      field: 'SMALL-RECORD.SR-COUNT',
      property: 'srCount',
    });
  });

  it('refuses properties the layout does not have', () => {
    expect(errorOf(() => small.encode({ ...value, srColour: 'red' } as typeof value))).toMatchObject({
      code: 'UNKNOWN_FIELD',
      message: 'SMALL-RECORD: no field for the property "srColour"',
    });
    expect(errorOf(() => small.encode({ ...value, srRow: [{ srRowId: 1, extra: 1 }] } as unknown as typeof value))).toMatchObject({
      code: 'UNKNOWN_FIELD',
      field: 'SMALL-RECORD.SR-ROW(1)',
      property: 'srRow[0]',
    });
  });

  it('refuses more rows than OCCURS allows, and rows that are not an array', () => {
    expect(errorOf(() => small.encode({ ...value, srRow: [{ srRowId: 1 }, { srRowId: 2 }, { srRowId: 3 }] }))).toMatchObject({
      code: 'TOO_MANY_OCCURRENCES',
      field: 'SMALL-RECORD.SR-ROW',
    });
    expect(errorOf(() => small.encode({ ...value, srRow: { srRowId: 1 } } as unknown as typeof value))).toMatchObject({ code: 'WRONG_TYPE' });
    expect(errorOf(() => small.encode({ ...value, srRow: [5] } as unknown as typeof value))).toMatchObject({
      code: 'WRONG_TYPE',
      field: 'SMALL-RECORD.SR-ROW(1)',
    });
  });

  it('names the field and row of a value that does not fit, with its property path', () => {
    const error = errorOf(() => small.encode({ ...value, srRow: [{ srRowId: 1 }, { srRowId: 100 }] }));
    expect(error).toMatchObject({ code: 'OVERFLOW', field: 'SMALL-RECORD.SR-ROW(2).SR-ROW-ID', property: 'srRow[1].srRowId' });
    expect(error.message).toBe('SMALL-RECORD.SR-ROW(2).SR-ROW-ID (srRow[1].srRowId): the value has more than 2 digits');
    expect(errorOf(() => small.encode({ ...value, srCode: 'ABCD' }))).toMatchObject({ code: 'OVERFLOW', field: 'SMALL-RECORD.SR-CODE' });
    expect(errorOf(() => small.encode({ ...value, srCount: '7' } as unknown as typeof value))).toMatchObject({
      code: 'NOT_NUMERIC',
      field: 'SMALL-RECORD.SR-COUNT',
    });
  });

  it('names the field and row of bytes that do not decode', () => {
    const bytes = small.encode(value);
    bytes[13] = 0x40; // SR-ROW(2).SR-ROW-ID's first digit becomes a space
    expect(errorOf(() => small.decode(bytes))).toMatchObject({
      code: 'NOT_NUMERIC',
      field: 'SMALL-RECORD.SR-ROW(2).SR-ROW-ID',
      property: 'srRow[1].srRowId',
    });
  });

  it('refuses to decode a buffer that is not exactly the record length', () => {
    const bytes = small.encode(value);
    expect(errorOf(() => small.decode(bytes.subarray(1)))).toMatchObject({
      code: 'RECORD_LENGTH',
      message: `SMALL-RECORD: the record is ${small.length} bytes, not ${small.length - 1}`,
    });
    expect(errorOf(() => small.decode(Buffer.concat([bytes, Buffer.alloc(1)])))).toMatchObject({ code: 'RECORD_LENGTH' });
  });

  it('never repeats a value in its errors', () => {
    const customer = gatewayCodec('CUSTOMER-ADD-REQUEST');
    const request = { ...customer.initial(), custLegalName: 'Łucja Secretname', custTaxId: 987654321 };
    const error = errorOf(() => customer.encode(request));
    expect(error).toMatchObject({ code: 'UNMAPPABLE_CHARACTER', field: 'CUSTOMER-ADD-REQUEST.CUST-LEGAL-NAME' });
    expect(error.message).not.toMatch(/Secretname|Łucja|987654321/);
  });
});

describe('every record of the gateway copybooks', () => {
  const names = Object.keys(GATEWAY_LAYOUTS) as RecordName[];

  it.each(names)('%s round-trips any value through exactly its record length', (name) => {
    const codec = gatewayCodec(name);
    fc.assert(
      fc.property(recordValue(GATEWAY_LAYOUTS[name]), (record) => {
        const bytes = codec.encode(record as never);
        expect(bytes).toHaveLength(GATEWAY_LAYOUTS[name].length);
        expect(codec.decode(bytes)).toEqual(record);
        // Decoding is a fixed point: the bytes of the decoded value are the same bytes.
        expect(codec.encode(codec.decode(bytes))).toEqual(bytes);
      }),
      { numRuns: 60 },
    );
  });

  it.each(names)('%s decodes random bytes to a value or a CodecError, never anything else', (name) => {
    const codec = gatewayCodec(name);
    const length = GATEWAY_LAYOUTS[name].length;
    fc.assert(
      fc.property(fc.uint8Array({ minLength: length, maxLength: length }), (bytes) => {
        let decoded: DecodedRecord;
        try {
          decoded = codec.decode(bytes) as unknown as DecodedRecord;
        } catch (error) {
          expect(error).toBeInstanceOf(CodecError);
          return;
        }
        expect(codec.decode(codec.encode(decoded as never))).toEqual(decoded);
      }),
      { numRuns: 40 },
    );
  });
});
