import { abaChecksum, checkRoutingNumber } from './routing-number';

describe('ABA routing number validation', () => {
  it.each([
    ['011000015', 'Federal Reserve Bank of Boston'],
    ['021000021', 'JPMorgan Chase, New York'],
    ['122105155', 'a San Francisco district bank'],
    ['322271627', 'a thrift (21–32)'],
  ])('accepts %s (%s)', (routingNumber) => {
    expect(checkRoutingNumber(routingNumber)).toEqual({ valid: true });
  });

  // The worked example of the check digit usually quoted for the ABA formula (Wikipedia, "ABA routing
  // transit number", Bank of America Texas): 3·(1+0+0) + 7·(1+0+2) + 1·(1+0+5) = 30.
  it('weights the digits 3, 7, 1 repeating', () => {
    expect(abaChecksum('111000025')).toBe(30);
    expect(checkRoutingNumber('111000025')).toEqual({ valid: true });
    expect(abaChecksum('011000015')).toBe(20);
    expect(abaChecksum('100000000')).toBe(3);
    expect(abaChecksum('010000000')).toBe(7);
    expect(abaChecksum('001000000')).toBe(1);
  });

  it.each(['011000016', '011000014', '021000012', '101000015'])('refuses %s, whose check digit is wrong', (routingNumber) => {
    expect(checkRoutingNumber(routingNumber)).toEqual({
      valid: false,
      code: 'ROUTING_NUMBER_CHECK_DIGIT',
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
      expect(checkRoutingNumber(routingNumber)).toMatchObject({ valid: false, code: 'ROUTING_NUMBER_UNASSIGNED_PREFIX' });
    },
  );

  it("refuses the all-zero number, whose checksum is 0, and the government's symbol 00", () => {
    expect(abaChecksum('000000000') % 10).toBe(0);
    expect(checkRoutingNumber('000000000')).toMatchObject({ valid: false, code: 'ROUTING_NUMBER_UNASSIGNED_PREFIX' });
    expect(checkRoutingNumber('000000518')).toMatchObject({ valid: false, code: 'ROUTING_NUMBER_UNASSIGNED_PREFIX' });
  });

  it("accepts the traveller's cheque symbol 80 and the edges of each range", () => {
    for (const prefix of ['01', '12', '21', '32', '61', '72', '80']) {
      const partial = `${prefix}100001`;
      const sum = abaChecksum(`${partial}0`);
      expect(checkRoutingNumber(`${partial}${(10 - (sum % 10)) % 10}`)).toEqual({ valid: true });
    }
  });

  it.each(['01100001', '0110000155', '01100001a', ''])('refuses %j, which is not nine digits', (routingNumber) => {
    expect(checkRoutingNumber(routingNumber)).toEqual({
      valid: false,
      code: 'ROUTING_NUMBER_MALFORMED',
      problem: 'Routing number is not nine digits',
    });
  });
});
