import { confirmMicroDeposits } from './ach-verifier';

describe('confirmMicroDeposits', () => {
  it('confirms the two amounts in the order they were sent or the other way round', () => {
    expect(confirmMicroDeposits([32, 45], [32, 45])).toBe(true);
    expect(confirmMicroDeposits([32, 45], [45, 32])).toBe(true);
  });

  it('refuses when either amount is wrong', () => {
    expect(confirmMicroDeposits([32, 45], [32, 46])).toBe(false);
    expect(confirmMicroDeposits([32, 45], [31, 45])).toBe(false);
    expect(confirmMicroDeposits([32, 45], [23, 54])).toBe(false);
  });

  it('refuses one right amount given twice', () => {
    expect(confirmMicroDeposits([32, 45], [32, 32])).toBe(false);
    expect(confirmMicroDeposits([32, 45], [45, 45])).toBe(false);
  });

  it('handles equal amounts: both must be given', () => {
    expect(confirmMicroDeposits([7, 7], [7, 7])).toBe(true);
    expect(confirmMicroDeposits([7, 7], [7, 8])).toBe(false);
  });

  it('refuses amounts in dollars instead of cents', () => {
    expect(confirmMicroDeposits([32, 45], [0.32, 0.45])).toBe(false);
  });
});
