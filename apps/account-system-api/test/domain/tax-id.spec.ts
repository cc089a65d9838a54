import { taxIdDigits, taxIdLast4 } from '../../src/domain/tax-id';

describe('tax ids', () => {
  it('reads a dashed and a bare SSN as the same nine digits', () => {
    expect(taxIdDigits('123-45-6789')).toBe('123456789');
    expect(taxIdDigits('123456789')).toBe('123456789');
  });

  it('shows only the last four digits', () => {
    expect(taxIdLast4('123-45-6789')).toBe('6789');
  });

  it('refuses anything that is not nine digits', () => {
    expect(() => taxIdDigits('12-345-678')).toThrow(TypeError);
    expect(() => taxIdDigits('1234567890')).toThrow(TypeError);
  });
});
