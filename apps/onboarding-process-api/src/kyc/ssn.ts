/**
 * Social Security number validity, by the Social Security Administration's issuing rules (since
 * 2011 numbers are randomised, so these are the only structural rules left): the area (first three
 * digits) is never 000, 666 or 900–999; the group (middle two) never 00; the serial (last four)
 * never 0000. Whether a valid number belongs to this person is the identity check's question.
 */

export interface SsnParts {
  area: string;
  group: string;
  serial: string;
}

export type SsnCheck = { valid: true; digits: string; parts: SsnParts } | { valid: false; problem: string };

const SSN_SHAPE = /^(\d{3})-?(\d{2})-?(\d{4})$/;

/** Checks an SSN written as `ddd-dd-dddd` or nine digits. `problem` never repeats the number. */
export function checkSsn(ssn: string): SsnCheck {
  const match = SSN_SHAPE.exec(ssn.trim());
  if (!match) return { valid: false, problem: 'SSN is not nine digits' };
  const [, area, group, serial] = match as unknown as [string, string, string, string];
  if (area === '000' || area === '666' || area.startsWith('9')) {
    return {
      valid: false,
      problem: 'SSN area number is never issued (000, 666 and 900–999 are not used)',
    };
  }
  if (group === '00') return { valid: false, problem: 'SSN group number 00 is never issued' };
  if (serial === '0000') return { valid: false, problem: 'SSN serial number 0000 is never issued' };
  return {
    valid: true,
    digits: `${area}${group}${serial}`,
    parts: { area, group, serial },
  };
}
