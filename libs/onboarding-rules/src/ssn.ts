/**
 * Social Security number validity, by what the Social Security Administration publishes:
 *
 * - SSA POMS RM 10201.035 "Invalid Social Security Numbers"
 *   (https://secure.ssa.gov/poms.nsf/lnx/0110201035): a number with area (first three digits)
 *   000, 666 or 900–999, group (middle two) 00 or serial (last four) 0000 was never assigned.
 *   Since randomisation (June 2011) these are the only structural rules left.
 * - Numbers voided after they were printed for everyone to copy — the SSA's history of misused
 *   numbers (https://www.ssa.gov/history/ssn/misused.html):
 *   078-05-1120, the sample card in the E. H. Ferree / Woolworth wallets (1938), claimed by over
 *   40,000 people and voided; 219-09-9999, the specimen in a 1940 Social Security Board pamphlet.
 *   123-45-6789 is the stock example on forms, in software and in advertising; it is treated as
 *   never valid the same way (the SSA's advertising range 987-65-4320–4329 is already area 9xx).
 *
 * Whether a valid number belongs to this person is the identity check's (the vendor's) question.
 */
import { FieldErrorCode } from './field-error';

export interface SsnParts {
  area: string;
  group: string;
  serial: string;
}

export type SsnCheck =
  | { valid: true; digits: string; parts: SsnParts }
  | { valid: false; code: (typeof FieldErrorCode)['SSN_MALFORMED' | 'SSN_NEVER_ISSUED' | 'SSN_VOIDED']; problem: string };

/** Numbers the SSA voided or that are published as specimens: never a real person's. */
export const VOIDED_SSNS: ReadonlySet<string> = new Set(['078051120', '219099999', '123456789']);

const SSN_SHAPE = /^(\d{3})-?(\d{2})-?(\d{4})$/;

/** Checks an SSN written as `ddd-dd-dddd` or nine digits. `problem` never repeats the number. */
export function checkSsn(ssn: string): SsnCheck {
  const match = SSN_SHAPE.exec(ssn.trim());
  if (!match) return { valid: false, code: FieldErrorCode.SSN_MALFORMED, problem: 'SSN is not nine digits' };
  const [, area, group, serial] = match as unknown as [string, string, string, string];
  if (area === '000' || area === '666' || area.startsWith('9')) {
    return { valid: false, code: FieldErrorCode.SSN_NEVER_ISSUED, problem: 'SSN area number is never issued (000, 666 and 900–999 are not used)' };
  }
  if (group === '00') return { valid: false, code: FieldErrorCode.SSN_NEVER_ISSUED, problem: 'SSN group number 00 is never issued' };
  if (serial === '0000') return { valid: false, code: FieldErrorCode.SSN_NEVER_ISSUED, problem: 'SSN serial number 0000 is never issued' };
  const digits = `${area}${group}${serial}`;
  if (VOIDED_SSNS.has(digits)) {
    return { valid: false, code: FieldErrorCode.SSN_VOIDED, problem: 'SSN is a published specimen number the SSA voided; it is nobody’s' };
  }
  return { valid: true, digits, parts: { area, group, serial } };
}
