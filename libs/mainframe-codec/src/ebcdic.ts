/**
 * EBCDIC code page 037 (IBM US/Canada), the code page of the gateway's text fields. Node has no
 * cp037 encoding, so the table is here: the Unicode code point of every byte 0x00–0xFF, as
 * published by Unicode.org (MAPPINGS/VENDORS/MICSFT/EBCDIC/CP037.TXT) and IBM (the GNU C library
 * charmap IBM037); `ebcdic.spec.ts` checks it against a transcription of those tables.
 *
 * Code page 037 maps its 256 bytes one-to-one onto U+0000–U+00FF (ISO 8859-1's repertoire), so
 * decoding never fails and encoding fails exactly for characters above U+00FF. The two line ends
 * follow the published table: 0x25 is LINE FEED and 0x15 is NEXT LINE (U+0085).
 */
import { CodecError, CodecErrorCode } from './errors';

// prettier-ignore
const CP037_TO_UNICODE: readonly number[] = [
  0x00, 0x01, 0x02, 0x03, 0x9c, 0x09, 0x86, 0x7f, 0x97, 0x8d, 0x8e, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f, // 0x00
  0x10, 0x11, 0x12, 0x13, 0x9d, 0x85, 0x08, 0x87, 0x18, 0x19, 0x92, 0x8f, 0x1c, 0x1d, 0x1e, 0x1f, // 0x10
  0x80, 0x81, 0x82, 0x83, 0x84, 0x0a, 0x17, 0x1b, 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x05, 0x06, 0x07, // 0x20
  0x90, 0x91, 0x16, 0x93, 0x94, 0x95, 0x96, 0x04, 0x98, 0x99, 0x9a, 0x9b, 0x14, 0x15, 0x9e, 0x1a, // 0x30
  0x20, 0xa0, 0xe2, 0xe4, 0xe0, 0xe1, 0xe3, 0xe5, 0xe7, 0xf1, 0xa2, 0x2e, 0x3c, 0x28, 0x2b, 0x7c, // 0x40
  0x26, 0xe9, 0xea, 0xeb, 0xe8, 0xed, 0xee, 0xef, 0xec, 0xdf, 0x21, 0x24, 0x2a, 0x29, 0x3b, 0xac, // 0x50
  0x2d, 0x2f, 0xc2, 0xc4, 0xc0, 0xc1, 0xc3, 0xc5, 0xc7, 0xd1, 0xa6, 0x2c, 0x25, 0x5f, 0x3e, 0x3f, // 0x60
  0xf8, 0xc9, 0xca, 0xcb, 0xc8, 0xcd, 0xce, 0xcf, 0xcc, 0x60, 0x3a, 0x23, 0x40, 0x27, 0x3d, 0x22, // 0x70
  0xd8, 0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0xab, 0xbb, 0xf0, 0xfd, 0xfe, 0xb1, // 0x80
  0xb0, 0x6a, 0x6b, 0x6c, 0x6d, 0x6e, 0x6f, 0x70, 0x71, 0x72, 0xaa, 0xba, 0xe6, 0xb8, 0xc6, 0xa4, // 0x90
  0xb5, 0x7e, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7a, 0xa1, 0xbf, 0xd0, 0xdd, 0xde, 0xae, // 0xA0
  0x5e, 0xa3, 0xa5, 0xb7, 0xa9, 0xa7, 0xb6, 0xbc, 0xbd, 0xbe, 0x5b, 0x5d, 0xaf, 0xa8, 0xb4, 0xd7, // 0xB0
  0x7b, 0x41, 0x42, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0xad, 0xf4, 0xf6, 0xf2, 0xf3, 0xf5, // 0xC0
  0x7d, 0x4a, 0x4b, 0x4c, 0x4d, 0x4e, 0x4f, 0x50, 0x51, 0x52, 0xb9, 0xfb, 0xfc, 0xf9, 0xfa, 0xff, // 0xD0
  0x5c, 0xf7, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5a, 0xb2, 0xd4, 0xd6, 0xd2, 0xd3, 0xd5, // 0xE0
  0x30, 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0xb3, 0xdb, 0xdc, 0xd9, 0xda, 0x9f, // 0xF0
];

/** The byte of every code point U+0000–U+00FF: the inverse of the table. */
const UNICODE_TO_CP037 = new Uint8Array(256);
for (let byte = 0; byte < 256; byte++) UNICODE_TO_CP037[CP037_TO_UNICODE[byte]] = byte;

/** Decodes each byte to one character, so the text is as long as `bytes`. */
const DECODED = CP037_TO_UNICODE.map((codePoint) => String.fromCharCode(codePoint));

/** The EBCDIC space, which pads text fields. */
export const EBCDIC_SPACE = 0x40;

/** The code point code page 037 gives `byte` (0–255). */
export function cp037CodePoint(byte: number): number {
  const codePoint = CP037_TO_UNICODE[byte];
  if (codePoint === undefined) throw new RangeError('a byte is 0–255');
  return codePoint;
}

/**
 * Writes `text` into `target` at `offset`, one byte per character, and returns the bytes written.
 * A character outside code page 037 is an error (never a silent '?'); the error tells its position,
 * not the character, which may be part of a name.
 */
export function writeEbcdic(text: string, target: Uint8Array, offset: number, field?: string): number {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0xff) {
      throw new CodecError(CodecErrorCode.UNMAPPABLE_CHARACTER, field, `character ${i + 1} has no code page 037 byte`);
    }
    target[offset + i] = UNICODE_TO_CP037[code];
  }
  return text.length;
}

/** `text` in code page 037, one byte per character. */
export function encodeEbcdic(text: string, field?: string): Buffer {
  const bytes = Buffer.alloc(text.length);
  writeEbcdic(text, bytes, 0, field);
  return bytes;
}

/** The text of `bytes` in code page 037, one character per byte (every byte has one). */
export function decodeEbcdic(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i++) text += DECODED[bytes[i]];
  return text;
}

/**
 * Writes `text` as a fixed-width PIC X(`length`) field: left-justified, right-padded with EBCDIC
 * spaces. Longer text is an error, never cut: a truncated name or reference would be stored as if
 * it were the whole one.
 */
export function writeText(text: unknown, target: Uint8Array, offset: number, length: number, field?: string): void {
  if (typeof text !== 'string') throw new CodecError(CodecErrorCode.WRONG_TYPE, field, 'a text field takes a string');
  if (text.length > length) {
    throw new CodecError(CodecErrorCode.OVERFLOW, field, `${text.length} characters do not fit in ${length}`);
  }
  writeEbcdic(text, target, offset, field);
  target.fill(EBCDIC_SPACE, offset + text.length, offset + length);
}

/** `text` as a PIC X(`length`) field. */
export function encodeText(text: string, length: number, field?: string): Buffer {
  const bytes = Buffer.alloc(length);
  writeText(text, bytes, 0, length, field);
  return bytes;
}

/** The text of a PIC X field without its trailing spaces (the padding); leading spaces stay. */
export function decodeText(bytes: Uint8Array): string {
  let end = bytes.length;
  while (end > 0 && bytes[end - 1] === EBCDIC_SPACE) end--;
  return decodeEbcdic(bytes.subarray(0, end));
}
