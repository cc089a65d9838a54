import fc from 'fast-check';
import { CodecError, fromCobolDate, fromCobolTimestamp, TIMESTAMP_LENGTH, toCobolDate, toCobolTimestamp } from './index';

describe('timestamp fields', () => {
  it('write an instant in UTC as YYYY-MM-DD-HH.MM.SS.NNNNNN', () => {
    expect(toCobolTimestamp(new Date('2026-01-31T23:59:58.123Z'))).toBe('2026-01-31-23.59.58.123000');
    expect(toCobolTimestamp(new Date('0999-03-04T05:06:07.008Z'))).toBe('0999-03-04-05.06.07.008000');
    expect(toCobolTimestamp(new Date(0))).toHaveLength(TIMESTAMP_LENGTH);
  });

  it('read a timestamp back to the millisecond, dropping the microseconds', () => {
    expect(fromCobolTimestamp('2026-01-31-23.59.58.123456').toISOString()).toBe('2026-01-31T23:59:58.123Z');
  });

  it('round-trip every instant of years 0001–9999', () => {
    const instants = fc.date({ min: new Date('0001-01-01T00:00:00.000Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true });
    fc.assert(fc.property(instants, (instant) => expect(fromCobolTimestamp(toCobolTimestamp(instant)).getTime()).toBe(instant.getTime())));
  });

  it('refuse what is not a real timestamp, naming the field', () => {
    for (const text of [
      '',
      '2026-01-31 23:59:58.123456',
      '2026-02-30-00.00.00.000000',
      '2026-01-31-24.00.00.000000',
      '0000-01-01-00.00.00.000000',
      ' '.repeat(26),
    ]) {
      expect(() => fromCobolTimestamp(text, 'ACCT-OPENED-TS')).toThrow(expect.objectContaining({ code: 'INVALID_DATE', field: 'ACCT-OPENED-TS' }));
    }
    expect(() => toCobolTimestamp(new Date(Number.NaN))).toThrow(RangeError);
    expect(() => toCobolTimestamp(new Date('+010000-01-01T00:00:00Z'))).toThrow(RangeError);
  });
});

describe('date fields', () => {
  it('write a calendar day as YYYYMMDD and read it back', () => {
    expect(toCobolDate('1990-04-01')).toBe(19900401);
    expect(fromCobolDate(19900401)).toBe('1990-04-01');
    expect(fromCobolDate(20240229)).toBe('2024-02-29');
    expect(fromCobolDate(10101)).toBe('0001-01-01');
  });

  it('round-trip every day of years 0001–9999', () => {
    const days = fc
      .date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true })
      .map((date) => date.toISOString().slice(0, 10));
    fc.assert(fc.property(days, (day) => expect(fromCobolDate(toCobolDate(day))).toBe(day)));
  });

  it('refuse days that do not exist, and zero, naming the field', () => {
    for (const value of [0, 20230229, 19901301, 19900400, 1.5, -19900401, 100000101]) {
      expect(() => fromCobolDate(value, 'CUST-BIRTH-DATE')).toThrow(expect.objectContaining({ code: 'INVALID_DATE', field: 'CUST-BIRTH-DATE' }));
    }
    for (const text of ['1990-4-1', '1990-02-30', '19900401', '0000-01-01']) {
      let error: unknown;
      try {
        toCobolDate(text, 'HIST-FROM-DATE');
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(CodecError);
    }
  });
});
