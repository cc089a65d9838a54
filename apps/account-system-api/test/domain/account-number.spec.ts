import { ACCOUNT_NUMBER_LENGTH, drawAccountNumber, isValidAccountNumber, luhnCheckDigit } from '../../src/domain/account-number';

describe('account numbers', () => {
  it('computes the Luhn check digit of known numbers', () => {
    // 79927398713 is the textbook Luhn example; 4111 1111 1111 1111 a well-known test card number.
    expect(luhnCheckDigit('7992739871')).toBe(3);
    expect(luhnCheckDigit('411111111111111')).toBe(1);
  });

  it('draws eleven-digit numbers without a leading zero whose check digit is right', () => {
    for (let i = 0; i < 200; i++) {
      const number = drawAccountNumber();
      expect(number).toMatch(new RegExp(`^[1-9][0-9]{${ACCOUNT_NUMBER_LENGTH - 1}}$`));
      expect(isValidAccountNumber(number)).toBe(true);
    }
  });

  it('draws different numbers each time', () => {
    const drawn = new Set(Array.from({ length: 200 }, drawAccountNumber));
    expect(drawn.size).toBe(200);
  });

  it('rejects a number with one digit mistyped or two neighbouring digits swapped', () => {
    const number = '79927398713';
    expect(isValidAccountNumber(number)).toBe(true);
    expect(isValidAccountNumber('79927398723')).toBe(false); // one digit changed
    expect(isValidAccountNumber('97927398713')).toBe(false); // first two digits swapped
  });

  it('rejects numbers of the wrong shape', () => {
    for (const value of ['', '1234567890', '123456789012', '0992739871x', '09927398713']) {
      expect(isValidAccountNumber(value)).toBe(false);
    }
  });

  it('refuses to compute a check digit of something that is not digits', () => {
    expect(() => luhnCheckDigit('12a4')).toThrow(TypeError);
  });
});
