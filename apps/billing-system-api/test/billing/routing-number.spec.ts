import { isValidRoutingNumber } from '../../src/billing/routing-number';

describe('isValidRoutingNumber', () => {
  it.each([
    ['011000015', 'Federal Reserve Bank of Boston'],
    ['021000021', 'JPMorgan Chase, New York'],
    ['121000358', 'Bank of America, California'],
    ['026009593', 'Bank of America, New York'],
    ['122105155', 'U.S. Bank, Arizona'],
  ])('accepts the published routing number %s (%s)', (routingNumber) => {
    expect(isValidRoutingNumber(routingNumber)).toBe(true);
  });

  it.each([
    ['021000022', 'last digit off by one'],
    ['121000359', 'last digit off by one'],
    ['011000016', 'last digit off by one'],
    ['010100015', 'third and fourth digits swapped'],
    ['120100358', 'third and fourth digits swapped'],
    ['201000021', 'first two digits swapped'],
    ['121000368', 'one digit mistyped in the middle'],
  ])('refuses the near-miss %s (%s)', (routingNumber) => {
    expect(isValidRoutingNumber(routingNumber)).toBe(false);
  });

  it.each([['02100002'], ['0210000210'], ['02100002a'], [''], [' 21000021']])('refuses %p, which is not nine digits', (value) => {
    expect(isValidRoutingNumber(value)).toBe(false);
  });
});
