import { maskLastFour } from './mask';

describe('maskLastFour', () => {
  it('keeps only the last four digits of an SSN', () => {
    expect(maskLastFour('123-45-6789')).toBe('•••6789');
  });
});
