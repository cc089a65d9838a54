import { abaChecksum, checkRoutingNumber } from './aba-routing-number';

describe('ABA routing number validation', () => {
  it.each([
    ['011000015', 'Federal Reserve Bank of Boston'],
    ['021000021', 'a New York bank'],
    ['122105155', 'a San Francisco district bank'],
    ['322271627', 'a thrift (21–32)'],
    ['000000000', 'the all-zero government symbol, checksum 0'],
  ])('accepts %s (%s)', (routingNumber) => {
    expect(checkRoutingNumber(routingNumber)).toEqual({ valid: true });
  });

  it('weights the digits 3, 7, 1 repeating', () => {
    expect(abaChecksum('011000015')).toBe(0 * 3 + 1 * 7 + 1 * 1 + 0 + 0 + 0 + 0 * 3 + 1 * 7 + 5 * 1);
    expect(abaChecksum('100000000')).toBe(3);
    expect(abaChecksum('010000000')).toBe(7);
    expect(abaChecksum('001000000')).toBe(1);
  });

  it.each(['011000016', '011000014', '021000012', '101000015'])('refuses %s, whose check digit is wrong', (routingNumber) => {
    expect(checkRoutingNumber(routingNumber)).toEqual({
      valid: false,
      problem: 'Routing number check digit is wrong',
    });
  });

  it('refuses a swap of two adjacent digits, which the weights are chosen to catch', () => {
    expect(checkRoutingNumber('101000015').valid).toBe(false);
  });

  // Each has a correct check digit: only the first two digits are wrong.
  it.each(['131000018', '201000016', '331000012', '601000014', '731000010', '811000011', '991000012'])(
    'refuses %s, which starts with no Federal Reserve routing symbol',
    (routingNumber) => {
      expect(checkRoutingNumber(routingNumber)).toMatchObject({
        valid: false,
        problem: expect.stringContaining('routing symbol'),
      });
    },
  );

  it("accepts the traveller's cheque symbol 80 and the edges of each range", () => {
    for (const prefix of ['12', '21', '32', '61', '72', '80']) {
      const partial = `${prefix}100001`;
      const weights = [3, 7, 1, 3, 7, 1, 3, 7];
      const sum = [...partial].reduce((total, digit, i) => total + Number(digit) * (weights[i] as number), 0);
      expect(checkRoutingNumber(`${partial}${(10 - (sum % 10)) % 10}`)).toEqual({ valid: true });
    }
  });

  it.each(['01100001', '0110000155', '01100001a', ''])('refuses %j, which is not nine digits', (routingNumber) => {
    expect(checkRoutingNumber(routingNumber)).toEqual({
      valid: false,
      problem: 'Routing number is not nine digits',
    });
  });
});
