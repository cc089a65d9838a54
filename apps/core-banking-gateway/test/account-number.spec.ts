import { isValidAccountNumber, luhnCheckDigit, newAccountNumber } from '../src/account-number';

describe('account numbers', () => {
  it('computes the Luhn check digit of published examples', () => {
    // 7992739871 → 3 (the textbook example); 4111111111111111 is a valid card number.
    expect(luhnCheckDigit('7992739871')).toBe(3);
    expect(luhnCheckDigit('411111111111111')).toBe(1);
  });

  it('draws 11 digits, not starting with 0, whose last is the check digit', () => {
    for (let i = 0; i < 200; i += 1) {
      const number = newAccountNumber();
      expect(number).toMatch(/^[1-9]\d{10}$/);
      expect(isValidAccountNumber(number)).toBe(true);
    }
  });

  it('refuses a number with one digit changed', () => {
    const number = newAccountNumber();
    const changed = `${number.slice(0, 5)}${(Number(number[5]) + 1) % 10}${number.slice(6)}`;
    expect(isValidAccountNumber(changed)).toBe(false);
  });
});
