/**
 * The date and time formats of the gateway's records, written once so the gateway and its clients
 * read them alike:
 * - dates are `PIC 9(8)` YYYYMMDD (19900401), as COBOL programs keep them;
 * - timestamps are `PIC X(26)` in DB2's format `YYYY-MM-DD-HH.MM.SS.NNNNNN`, in UTC. JavaScript
 *   dates hold milliseconds, so the last three digits are written as 000 and dropped when read.
 */
import { CodecError, CodecErrorCode } from './errors';

/** Characters of a timestamp field. */
export const TIMESTAMP_LENGTH = 26;

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})-(\d{2})\.(\d{2})\.(\d{2})\.(\d{3})(\d{3})$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

const two = (value: number) => String(value).padStart(2, '0');

/** The instant of a real calendar date and time in UTC, or undefined when the parts are not one (Feb 30, hour 24). */
function utc(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, millisecond = 0): Date | undefined {
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second, millisecond));
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear puts them back.
  date.setUTCFullYear(year);
  const exact =
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second;
  return exact && year >= 1 ? date : undefined;
}

/** `instant` as a timestamp field: `2026-01-31-23.59.58.123000`. */
export function toCobolTimestamp(instant: Date): string {
  const year = instant.getUTCFullYear();
  if (Number.isNaN(instant.getTime()) || year < 1 || year > 9999) throw new RangeError('a timestamp field holds years 0001–9999');
  return (
    `${String(year).padStart(4, '0')}-${two(instant.getUTCMonth() + 1)}-${two(instant.getUTCDate())}-` +
    `${two(instant.getUTCHours())}.${two(instant.getUTCMinutes())}.${two(instant.getUTCSeconds())}.${String(instant.getUTCMilliseconds()).padStart(3, '0')}000`
  );
}

/** The instant of a timestamp field (to the millisecond); an error naming `field` when it is not a real one. */
export function fromCobolTimestamp(text: string, field?: string): Date {
  const match = TIMESTAMP.exec(text);
  const parts = match?.slice(1, 8).map(Number);
  const instant = parts && utc(parts[0], parts[1], parts[2], parts[3], parts[4], parts[5], parts[6]);
  if (!instant) throw new CodecError(CodecErrorCode.INVALID_DATE, field, 'not a timestamp YYYY-MM-DD-HH.MM.SS.NNNNNN');
  return instant;
}

/** A calendar day `YYYY-MM-DD` as a date field: `1990-04-01` → 19900401. */
export function toCobolDate(isoDate: string, field?: string): number {
  const match = ISO_DATE.exec(isoDate);
  if (!match || !utc(Number(match[1]), Number(match[2]), Number(match[3]))) {
    throw new CodecError(CodecErrorCode.INVALID_DATE, field, 'not a calendar date YYYY-MM-DD');
  }
  return Number(`${match[1]}${match[2]}${match[3]}`);
}

/** A date field as a calendar day: 19900401 → `1990-04-01`; an error naming `field` when it is not a real day (0 included). */
export function fromCobolDate(yyyymmdd: number, field?: string): string {
  const year = Math.floor(yyyymmdd / 10_000);
  const month = Math.floor(yyyymmdd / 100) % 100;
  const day = yyyymmdd % 100;
  if (!Number.isSafeInteger(yyyymmdd) || yyyymmdd < 0 || yyyymmdd > 99_999_999 || !utc(year, month, day)) {
    throw new CodecError(CodecErrorCode.INVALID_DATE, field, 'not a date YYYYMMDD');
  }
  return `${String(year).padStart(4, '0')}-${two(month)}-${two(day)}`;
}
