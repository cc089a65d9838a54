import { randomInt } from 'node:crypto';

/**
 * Account numbers are 11 digits: 10 random digits (never starting with 0, so no system can drop a
 * leading zero) followed by a Luhn (mod 10) check digit. Luhn catches every single-digit typo and
 * almost every swap of neighbouring digits when a number is keyed in by hand.
 */
export const ACCOUNT_NUMBER_LENGTH = 11;

/** The Luhn check digit of a string of digits. */
export function luhnCheckDigit(payload: string): number {
  if (!/^[0-9]+$/.test(payload)) throw new TypeError('a Luhn payload is digits only');
  let sum = 0;
  // From the right, every first, third, … payload digit is doubled (the check digit will sit to its right).
  for (let i = 0; i < payload.length; i++) {
    let digit = payload.charCodeAt(payload.length - 1 - i) - 48;
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return (10 - (sum % 10)) % 10;
}

/** True when `value` has the shape of one of our account numbers and its check digit is right. */
export function isValidAccountNumber(value: string): boolean {
  if (!new RegExp(`^[1-9][0-9]{${ACCOUNT_NUMBER_LENGTH - 1}}$`).test(value)) return false;
  return luhnCheckDigit(value.slice(0, -1)) === Number(value.slice(-1));
}

/** A fresh random account number; uniqueness is checked by the database, which draws again on a clash. */
export function drawAccountNumber(): string {
  const payload = String(randomInt(10 ** (ACCOUNT_NUMBER_LENGTH - 2), 10 ** (ACCOUNT_NUMBER_LENGTH - 1)));
  return `${payload}${luhnCheckDigit(payload)}`;
}
