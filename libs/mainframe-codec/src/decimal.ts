/**
 * The two decimal formats of COBOL numbers, as IBM Enterprise COBOL stores them:
 *
 * - zoned decimal (`PIC 9(n)` / `PIC S9(n)`, USAGE DISPLAY): one byte per digit, zone nibble F and
 *   the digit (so '123' is F1 F2 F3, the EBCDIC digits); the sign is "overpunched" into the zone of
 *   the last byte: C positive, D negative, F unsigned. -123 in `PIC S9(3)` is F1 F2 D3.
 * - packed decimal (`COMP-3`): two digits per byte, the sign in the last nibble (C positive,
 *   D negative, F unsigned), a leading 0 nibble when the digit count is even. +12345 in
 *   `PIC S9(5) COMP-3` is 12 34 5C; -12345 is 12 34 5D.
 *
 * Values are integers in units of the picture's last digit — `PIC S9(15)V99` holds cents, so
 * $123.45 is 12345 — never floats. They are written zero-filled to the picture's width: signed
 * fields with C or D, unsigned ones with F. On input F counts as positive in a signed field and
 * C in an unsigned one; any other sign nibble, and D in an unsigned field, is an error.
 */
import { CodecError, CodecErrorCode } from './errors';

/** The digits a decimal picture holds (`S9(13)V99`: 15 digits, scale 2, signed). */
export interface DecimalPicture {
  digits: number;
  /** Digits after the implied decimal point (V); the value is in units of 10^-scale. */
  scale: number;
  signed: boolean;
}

/** The most digits a picture may have (IBM Enterprise COBOL with ARITH(EXTEND)). */
export const MAX_DECIMAL_DIGITS = 31;

/** Fields of at most this many digits decode to a `number` (every 15-digit integer is exact); longer ones to a `bigint`. */
export const MAX_NUMBER_DIGITS = 15;

const ZONE = 0xf0;
const SIGN_POSITIVE = 0xc;
const SIGN_NEGATIVE = 0xd;
const SIGN_UNSIGNED = 0xf;

/** Bytes of a packed decimal field of `digits` digits: two digits a byte, plus the sign nibble. */
export function packedLength(digits: number): number {
  return Math.floor(digits / 2) + 1;
}

/** The absolute value's digits, zero-filled to the picture's width, and the sign. */
function digitsOf(value: unknown, picture: DecimalPicture, field: string | undefined): { negative: boolean; digits: string } {
  let integer: bigint;
  if (typeof value === 'bigint') integer = value;
  else if (typeof value === 'number' && Number.isSafeInteger(value)) integer = BigInt(value);
  else {
    throw new CodecError(CodecErrorCode.NOT_NUMERIC, field, 'a decimal field takes an integer (number or bigint) in units of its last digit');
  }
  const negative = integer < 0n;
  if (negative && !picture.signed) throw new CodecError(CodecErrorCode.INVALID_SIGN, field, 'an unsigned field cannot hold a negative value');
  const digits = (negative ? -integer : integer).toString();
  if (digits.length > picture.digits) throw new CodecError(CodecErrorCode.OVERFLOW, field, `the value has more than ${picture.digits} digits`);
  return { negative, digits: digits.padStart(picture.digits, '0') };
}

function signNibble(picture: DecimalPicture, negative: boolean): number {
  if (!picture.signed) return SIGN_UNSIGNED;
  return negative ? SIGN_NEGATIVE : SIGN_POSITIVE;
}

/** Reads a sign nibble: true for negative; C and F are positive; D is negative in signed fields only. */
function isNegative(sign: number, picture: DecimalPicture, field: string | undefined): boolean {
  if (sign === SIGN_POSITIVE || sign === SIGN_UNSIGNED) return false;
  if (sign === SIGN_NEGATIVE) {
    if (picture.signed) return true;
    throw new CodecError(CodecErrorCode.INVALID_SIGN, field, 'a negative sign (D) in an unsigned field');
  }
  throw new CodecError(CodecErrorCode.INVALID_SIGN, field, 'the sign nibble is not C, D or F');
}

function expectWidth(bytes: Uint8Array, width: number): void {
  if (bytes.length !== width) throw new RangeError(`the field is ${width} bytes, not ${bytes.length}`);
}

/** Writes `value` as zoned decimal (`picture.digits` bytes) into `target` at `offset`. */
export function writeZoned(value: unknown, target: Uint8Array, offset: number, picture: DecimalPicture, field?: string): void {
  const { negative, digits } = digitsOf(value, picture, field);
  const last = digits.length - 1;
  for (let i = 0; i < last; i++) target[offset + i] = ZONE | (digits.charCodeAt(i) - 48);
  target[offset + last] = (signNibble(picture, negative) << 4) | (digits.charCodeAt(last) - 48);
}

export function encodeZoned(value: number | bigint, picture: DecimalPicture, field?: string): Buffer {
  const bytes = Buffer.alloc(picture.digits);
  writeZoned(value, bytes, 0, picture, field);
  return bytes;
}

/** The value of a zoned decimal field of exactly `picture.digits` bytes. */
export function decodeZoned(bytes: Uint8Array, picture: DecimalPicture, field?: string): bigint {
  expectWidth(bytes, picture.digits);
  let magnitude = 0n;
  const last = bytes.length - 1;
  for (let i = 0; i <= last; i++) {
    const zone = bytes[i] >> 4;
    const digit = bytes[i] & 0xf;
    // The last byte's zone is the sign; a space (0x40) or letter there is not a number at all.
    const zoneIsSign = i === last && zone >= 0xa;
    if (digit > 9 || (zone !== 0xf && !zoneIsSign)) {
      throw new CodecError(CodecErrorCode.NOT_NUMERIC, field, `byte ${i + 1} is not a zoned decimal digit`);
    }
    magnitude = magnitude * 10n + BigInt(digit);
  }
  return isNegative(bytes[last] >> 4, picture, field) ? -magnitude : magnitude;
}

/** Writes `value` as packed decimal (`packedLength(picture.digits)` bytes) into `target` at `offset`. */
export function writePacked(value: unknown, target: Uint8Array, offset: number, picture: DecimalPicture, field?: string): void {
  const { negative, digits } = digitsOf(value, picture, field);
  const length = packedLength(picture.digits);
  // An odd number of nibbles before the sign: an even digit count gets a leading zero nibble.
  const nibbles = (digits.length % 2 === 0 ? '0' : '') + digits;
  for (let i = 0; i < length - 1; i++) {
    target[offset + i] = ((nibbles.charCodeAt(2 * i) - 48) << 4) | (nibbles.charCodeAt(2 * i + 1) - 48);
  }
  target[offset + length - 1] = ((nibbles.charCodeAt(nibbles.length - 1) - 48) << 4) | signNibble(picture, negative);
}

export function encodePacked(value: number | bigint, picture: DecimalPicture, field?: string): Buffer {
  const bytes = Buffer.alloc(packedLength(picture.digits));
  writePacked(value, bytes, 0, picture, field);
  return bytes;
}

/** The value of a packed decimal field of exactly `packedLength(picture.digits)` bytes. */
export function decodePacked(bytes: Uint8Array, picture: DecimalPicture, field?: string): bigint {
  expectWidth(bytes, packedLength(picture.digits));
  let magnitude = 0n;
  const signIndex = bytes.length * 2 - 1;
  for (let nibble = 0; nibble < signIndex; nibble++) {
    const byte = bytes[nibble >> 1];
    const digit = nibble % 2 === 0 ? byte >> 4 : byte & 0xf;
    if (digit > 9) throw new CodecError(CodecErrorCode.NOT_NUMERIC, field, `digit ${nibble + 1} is not a packed decimal digit`);
    // The pad nibble of an even digit count must be zero, or the value is wider than the picture.
    if (nibble === 0 && picture.digits % 2 === 0 && digit !== 0) {
      throw new CodecError(CodecErrorCode.OVERFLOW, field, `the value has more than ${picture.digits} digits`);
    }
    magnitude = magnitude * 10n + BigInt(digit);
  }
  return isNegative(bytes[bytes.length - 1] & 0xf, picture, field) ? -magnitude : magnitude;
}
