import { ageInYears, calendarDateIn, compareCalendarDates, parseCalendarDate } from './calendar-date';

const date = (value: string) => {
  const parsed = parseCalendarDate(value);
  if (!parsed) throw new Error(`bad test date ${value}`);
  return parsed;
};

describe('age of majority arithmetic', () => {
  it('parses calendar dates and refuses dates that do not exist', () => {
    expect(parseCalendarDate('2024-02-29')).toEqual({
      year: 2024,
      month: 2,
      day: 29,
    });
    for (const value of ['2023-02-29', '1990-02-30', '1990-04-31', '1990-13-01', '1990-00-10', '1990-1-1', '01/04/1990']) {
      expect(parseCalendarDate(value)).toBeUndefined();
    }
  });

  it('counts a year only once the birthday is reached', () => {
    expect(ageInYears(date('2007-06-01'), date('2025-05-31'))).toBe(17);
    expect(ageInYears(date('2007-06-01'), date('2025-06-01'))).toBe(18);
    expect(ageInYears(date('2007-06-01'), date('2026-05-31'))).toBe(18);
  });

  it('lets someone born on 29 February come of age on 1 March in a non-leap year, not on 28 February', () => {
    expect(ageInYears(date('2004-02-29'), date('2022-02-28'))).toBe(17);
    expect(ageInYears(date('2004-02-29'), date('2022-03-01'))).toBe(18);
    expect(ageInYears(date('2004-02-29'), date('2024-02-29'))).toBe(20);
  });

  it('gives a negative age for a birth date in the future', () => {
    expect(ageInYears(date('2030-01-01'), date('2025-01-01'))).toBeLessThan(0);
  });

  it("takes today's date from the bank's time zone, not from UTC", () => {
    const instant = new Date('2025-06-01T03:00:00Z');
    expect(calendarDateIn(instant, 'America/New_York')).toEqual({
      year: 2025,
      month: 5,
      day: 31,
    });
    expect(calendarDateIn(instant, 'UTC')).toEqual({
      year: 2025,
      month: 6,
      day: 1,
    });
  });

  it('orders calendar dates by year, then month, then day', () => {
    expect(compareCalendarDates(date('2025-01-31'), date('2025-02-01'))).toBeLessThan(0);
    expect(compareCalendarDates(date('2025-02-01'), date('2024-12-31'))).toBeGreaterThan(0);
    expect(compareCalendarDates(date('2025-02-01'), date('2025-02-01'))).toBe(0);
  });
});
