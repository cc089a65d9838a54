import fc from 'fast-check';
import type { DecodedRecord, FieldValue, Item, RecordLayout } from '../../src';

/** One character code page 037 can carry: U+0000–U+00FF. */
export const cp037Character = fc.integer({ min: 0, max: 0xff }).map((code) => String.fromCharCode(code));

/** Text of at most `maxLength` code page 037 characters, without trailing spaces (a PIC X field's padding). */
export function fieldText(maxLength: number): fc.Arbitrary<string> {
  return fc.string({ unit: cp037Character, maxLength }).map((text) => text.replace(/ +$/, ''));
}

/** Any integer a decimal picture of `digits` digits holds. */
export function decimalValue(digits: number, signed: boolean): fc.Arbitrary<bigint> {
  const max = 10n ** BigInt(digits) - 1n;
  return fc.oneof(fc.bigInt({ min: signed ? -max : 0n, max }), fc.constantFrom(0n, max, signed ? -max : max));
}

function itemValue(item: Item): fc.Arbitrary<FieldValue> {
  if (item.kind === 'group') return itemsValue(item.items);
  if (item.kind === 'text') return fieldText(item.size);
  return decimalValue(item.digits, item.signed).map((value) => (item.digits <= 15 ? Number(value) : value));
}

function itemsValue(items: readonly Item[]): fc.Arbitrary<DecodedRecord> {
  const fields: Record<string, fc.Arbitrary<FieldValue>> = {};
  for (const item of items) {
    if (item.filler) continue;
    const one = itemValue(item);
    fields[item.key] = item.occurs === undefined ? one : fc.array(one, { minLength: item.occurs, maxLength: item.occurs });
  }
  return fc.record(fields);
}

/** Any value of a record, every OCCURS with all its rows: what decoding its encoding must give back. */
export function recordValue(layout: RecordLayout): fc.Arbitrary<DecodedRecord> {
  return itemsValue(layout.items);
}
