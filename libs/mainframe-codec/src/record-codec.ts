/**
 * Encodes an object to the bytes of a record, and back, following a parsed layout.
 *
 * The object has one property per named item, in camelCase (`CUST-LAST-NAME` → `custLastName`):
 * - PIC X → a string, written right-padded with EBCDIC spaces; read back without trailing spaces;
 * - PIC 9 / S9, zoned or COMP-3 → an integer in units of the last digit (`S9(15)V99` holds cents):
 *   a `number` when the picture has at most 15 digits, a `bigint` above (both are accepted when
 *   encoding);
 * - a group → a nested object; OCCURS n → an array of n rows when decoding, of at most n when
 *   encoding (the rows not given are written as COBOL's INITIALIZE leaves them: spaces and zeros);
 * - FILLER → no property; written as spaces (or zeros for a numeric FILLER).
 *
 * Encoding is strict: every field must be given, no other property may be, and nothing is cut to
 * fit. Errors name the field (`CUSTOMER-INQUIRY-RESPONSE.CUST-LEGAL-NAME`), never its value.
 */
import { decodePacked, decodeZoned, MAX_NUMBER_DIGITS, writePacked, writeZoned } from './decimal';
import { decodeText, EBCDIC_SPACE, writeText } from './ebcdic';
import { CodecError, CodecErrorCode } from './errors';
import type { DecimalField, Item, RecordLayout } from './layout';

/** A decoded field: text, a number or bigint, a group, or the rows of an OCCURS. */
export type FieldValue = string | number | bigint | DecodedRecord | FieldValue[];

/** A decoded record or group, when no generated type describes it. */
export interface DecodedRecord {
  [key: string]: FieldValue;
}

/** One step of the path to a field: the item, and the row when it is one of an OCCURS. */
interface Step {
  item: Item;
  row?: number;
}

export class RecordCodec<T extends object = DecodedRecord> {
  /** Bytes of the record. */
  readonly length: number;
  /** The record as INITIALIZE leaves it: every text field spaces, every number zero. */
  private readonly initialBytes: Buffer;
  /** The property names each level of the record accepts. */
  private readonly knownKeys = new Map<readonly Item[], Set<string>>();

  constructor(readonly layout: RecordLayout) {
    this.length = layout.length;
    this.initialBytes = Buffer.alloc(layout.length);
    writeInitial(layout.items, this.initialBytes, 0, 0);
    const collect = (items: readonly Item[]) => {
      this.knownKeys.set(items, new Set(items.filter((item) => !item.filler).map((item) => item.key)));
      for (const item of items) if (item.kind === 'group') collect(item.items);
    };
    collect(layout.items);
  }

  /** The record's bytes for `value`: exactly `length` of them. */
  encode(value: T): Buffer {
    const bytes = Buffer.from(this.initialBytes);
    this.encodeGroup(this.layout.items, value, bytes, 0, 0, []);
    return bytes;
  }

  /** The record held by `bytes`, which must be exactly `length` long. */
  decode(bytes: Uint8Array): T {
    if (bytes.length !== this.length) {
      throw new CodecError(CodecErrorCode.RECORD_LENGTH, this.layout.name, `the record is ${this.length} bytes, not ${bytes.length}`);
    }
    return this.decodeGroup(this.layout.items, bytes, 0, 0, []) as T;
  }

  /** A fresh record as INITIALIZE leaves it (text '', numbers 0, every row present): a base to fill in. */
  initial(): T {
    return this.decode(this.initialBytes);
  }

  private encodeGroup(items: readonly Item[], value: unknown, target: Buffer, start: number, groupOffset: number, path: Step[]): void {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw this.located(new CodecError(CodecErrorCode.WRONG_TYPE, undefined, 'a group takes an object'), path);
    }
    const record = value as Record<string, unknown>;
    const known = this.knownKeys.get(items) as Set<string>;
    for (const key of Object.keys(record)) {
      if (!known.has(key)) throw this.located(new CodecError(CodecErrorCode.UNKNOWN_FIELD, undefined, `no field for the property "${key}"`), path);
    }
    for (const item of items) {
      if (item.filler) continue;
      const at = start + item.offset - groupOffset;
      const field = record[item.key];
      if (field === undefined) throw this.located(new CodecError(CodecErrorCode.MISSING_FIELD, undefined, 'no value given'), [...path, { item }]);
      if (item.occurs === undefined) {
        this.encodeItem(item, field, target, at, [...path, { item }]);
        continue;
      }
      if (!Array.isArray(field)) {
        throw this.located(new CodecError(CodecErrorCode.WRONG_TYPE, undefined, `OCCURS ${item.occurs} TIMES takes an array`), [...path, { item }]);
      }
      if (field.length > item.occurs) {
        throw this.located(
          new CodecError(CodecErrorCode.TOO_MANY_OCCURRENCES, undefined, `${field.length} rows given, OCCURS ${item.occurs} TIMES`),
          [...path, { item }],
        );
      }
      field.forEach((row, index) => this.encodeItem(item, row, target, at + index * item.size, [...path, { item, row: index }]));
    }
  }

  private encodeItem(item: Item, value: unknown, target: Buffer, at: number, path: Step[]): void {
    if (item.kind === 'group') return this.encodeGroup(item.items, value, target, at, item.offset, path);
    try {
      if (item.kind === 'text') writeText(value, target, at, item.size);
      else if (item.kind === 'zoned') writeZoned(value, target, at, item);
      else writePacked(value, target, at, item);
    } catch (error) {
      throw this.located(error, path);
    }
  }

  private decodeGroup(items: readonly Item[], bytes: Uint8Array, start: number, groupOffset: number, path: Step[]): DecodedRecord {
    const decoded: DecodedRecord = {};
    for (const item of items) {
      if (item.filler) continue;
      const at = start + item.offset - groupOffset;
      if (item.occurs === undefined) decoded[item.key] = this.decodeItem(item, bytes, at, [...path, { item }]);
      else {
        const rows: FieldValue[] = [];
        for (let row = 0; row < item.occurs; row++) rows.push(this.decodeItem(item, bytes, at + row * item.size, [...path, { item, row }]));
        decoded[item.key] = rows;
      }
    }
    return decoded;
  }

  private decodeItem(item: Item, bytes: Uint8Array, at: number, path: Step[]): FieldValue {
    if (item.kind === 'group') return this.decodeGroup(item.items, bytes, at, item.offset, path);
    const field = bytes.subarray(at, at + item.size);
    if (item.kind === 'text') return decodeText(field);
    try {
      return valueOf(item.kind === 'zoned' ? decodeZoned(field, item) : decodePacked(field, item), item);
    } catch (error) {
      throw this.located(error, path);
    }
  }

  /** The same error, naming the field it happened in. */
  private located(error: unknown, path: Step[]): unknown {
    if (!(error instanceof CodecError) || error.field !== undefined) return error;
    const field = [this.layout.name, ...path.map(({ item, row }) => (row === undefined ? item.name : `${item.name}(${row + 1})`))].join('.');
    const property = path.map(({ item, row }, i) => `${i === 0 ? '' : '.'}${item.key}${row === undefined ? '' : `[${row}]`}`).join('');
    return new CodecError(error.code, field, error.problem, property === '' ? undefined : property);
  }
}

/** A decimal field's value: a number when every value of its picture is exact as one, else a bigint. */
function valueOf(value: bigint, field: DecimalField): number | bigint {
  return field.digits <= MAX_NUMBER_DIGITS ? Number(value) : value;
}

/** Writes items as INITIALIZE leaves them: text (and FILLER) as spaces, numbers as zero. */
function writeInitial(items: readonly Item[], target: Buffer, start: number, groupOffset: number): void {
  for (const item of items) {
    for (let row = 0; row < (item.occurs ?? 1); row++) {
      const at = start + item.offset - groupOffset + row * item.size;
      if (item.kind === 'group') writeInitial(item.items, target, at, item.offset);
      else if (item.kind === 'text') target.fill(EBCDIC_SPACE, at, at + item.size);
      else if (item.kind === 'zoned') writeZoned(0, target, at, item);
      else writePacked(0, target, at, item);
    }
  }
}
