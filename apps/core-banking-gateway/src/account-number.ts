import { randomInt } from 'node:crypto';

/** The Luhn check digit of a string of digits. */
export function luhnCheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    // From the right, every second digit of the payload (starting with the rightmost) is doubled.
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return (10 - (sum % 10)) % 10;
}

/** A new account number: 11 digits, the last a Luhn check digit, never starting with 0 (ACCT-NUMBER PIC 9(11)). */
export function newAccountNumber(): string {
  const payload = String(randomInt(1_000_000_000, 10_000_000_000));
  return `${payload}${luhnCheckDigit(payload)}`;
}

/** Whether an 11-digit number's last digit is its Luhn check digit. */
export function isValidAccountNumber(number: string): boolean {
  return /^\d{11}$/.test(number) && luhnCheckDigit(number.slice(0, 10)) === Number(number[10]);
}
