/**
 * A rule's refusal of one field: where it is (an RFC 6901 JSON Pointer into the request body the
 * client sent), a stable code to branch on, and words for a person. The detail never repeats the
 * value: it may be an SSN or a bank account number.
 */
export interface FieldError {
  pointer: string;
  code: FieldErrorCode;
  detail: string;
}

/** The stable codes of the rules' field errors. */
export const FieldErrorCode = {
  /** Area 000, 666 or 900–999, group 00 or serial 0000: never issued by the SSA. */
  SSN_NEVER_ISSUED: 'SSN_NEVER_ISSUED',
  /** A number the SSA voided after it was printed on sample cards or in advertising. */
  SSN_VOIDED: 'SSN_VOIDED',
  /** Not nine digits (dashes optional). */
  SSN_MALFORMED: 'SSN_MALFORMED',
  /** Not nine digits. */
  ROUTING_NUMBER_MALFORMED: 'ROUTING_NUMBER_MALFORMED',
  /** The first two digits are no Federal Reserve routing symbol. */
  ROUTING_NUMBER_UNASSIGNED_PREFIX: 'ROUTING_NUMBER_UNASSIGNED_PREFIX',
  /** The ABA check digit is wrong (a typo). */
  ROUTING_NUMBER_CHECK_DIGIT: 'ROUTING_NUMBER_CHECK_DIGIT',
  /** Not a calendar date, in the future, or before 1900-01-01. */
  DATE_OF_BIRTH_INVALID: 'DATE_OF_BIRTH_INVALID',
  /** Younger than the age of majority of the applicant's state. */
  UNDERAGE: 'UNDERAGE',
  /** A product the bank does not offer. */
  UNKNOWN_PRODUCT: 'UNKNOWN_PRODUCT',
  /** A fee plan the catalogue does not have. */
  UNKNOWN_PLAN: 'UNKNOWN_PLAN',
  /** A fee plan of another product (e.g. a savings plan on a checking account). */
  PLAN_NOT_FOR_PRODUCT: 'PLAN_NOT_FOR_PRODUCT',
  /** An opening deposit outside the product's limits. */
  DEPOSIT_OUT_OF_RANGE: 'DEPOSIT_OUT_OF_RANGE',
  /** Control characters (NUL, escapes, line breaks…) or a lone UTF-16 surrogate in a line of text. */
  TEXT_NOT_PRINTABLE: 'TEXT_NOT_PRINTABLE',
} as const;
export type FieldErrorCode = (typeof FieldErrorCode)[keyof typeof FieldErrorCode];

/**
 * Appends one reference token to a JSON Pointer, escaped as RFC 6901 §3 requires
 * (`~` → `~0`, `/` → `~1`).
 */
export function pointerTo(parent: string, token: string | number): string {
  return `${parent}/${String(token).replace(/~/g, '~0').replace(/\//g, '~1')}`;
}
