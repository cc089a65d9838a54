/**
 * Calendar dates and ages. Ages are counted in whole years on the calendar date of the bank's time
 * zone (an applicant born on 2007-06-01 is 18 from 2025-06-01 00:00 New York time, not from UTC
 * midnight). Someone born on 29 February comes of age on 1 March in a non-leap year — the day
 * after 28 February, so never a day early.
 */

/** The bank's time zone: ages and "today" are counted on its calendar. */
export const BANK_TIME_ZONE = 'America/New_York';

export interface CalendarDate {
  year: number;
  month: number; // 1–12
  day: number;
}

/** Parses `YYYY-MM-DD`, refusing dates that do not exist (e.g. 1990-02-30). */
export function parseCalendarDate(value: string): CalendarDate | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return undefined;
  const date = {
    year: Number(match[1]),
    month: Number(match[2]),
    day: Number(match[3]),
  };
  if (date.month < 1 || date.month > 12 || date.day < 1 || date.day > daysInMonth(date.year, date.month)) return undefined;
  return date;
}

/** The calendar date an instant falls on in an IANA time zone, e.g. `America/New_York`. */
export function calendarDateIn(instant: Date, timeZone: string): CalendarDate {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
  }).formatToParts(instant);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  return { year: part('year'), month: part('month'), day: part('day') };
}

/** Completed years between a birth date and `today`; negative when the birth date is in the future. */
export function ageInYears(birth: CalendarDate, today: CalendarDate): number {
  const years = today.year - birth.year;
  const birthday = birthdayIn(birth, today.year);
  const hadBirthday = today.month > birthday.month || (today.month === birthday.month && today.day >= birthday.day);
  return hadBirthday ? years : years - 1;
}

/** Compares two calendar dates: negative when `a` is earlier. */
export function compareCalendarDates(a: CalendarDate, b: CalendarDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

function birthdayIn(birth: CalendarDate, year: number): { month: number; day: number } {
  if (birth.month === 2 && birth.day === 29 && !isLeapYear(year)) return { month: 3, day: 1 };
  return { month: birth.month, day: birth.day };
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] as number;
}
