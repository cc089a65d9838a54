import { checkSsn, VOIDED_SSNS } from './ssn';

describe('checkSsn', () => {
  it('accepts an issued-looking SSN dashed or as nine digits and gives its digits and parts', () => {
    expect(checkSsn('234-56-7890')).toEqual({ valid: true, digits: '234567890', parts: { area: '234', group: '56', serial: '7890' } });
    expect(checkSsn('234567890')).toMatchObject({ valid: true, digits: '234567890' });
  });

  // SSA POMS RM 10201.035: area 000, 666 and the 900 series are never assigned.
  it.each(['000', '666', '900', '950', '999'])('refuses the never-issued area %s', (area) => {
    expect(checkSsn(`${area}-45-6788`)).toEqual({ valid: false, code: 'SSN_NEVER_ISSUED', problem: expect.stringContaining('area') });
  });

  it.each(['001', '665', '667', '899'])('accepts the area %s next to the refused ones', (area) => {
    expect(checkSsn(`${area}-45-6788`).valid).toBe(true);
  });

  // SSA POMS RM 10201.035: group 00 and serial 0000 are never assigned.
  it('refuses group 00 and serial 0000 but accepts group 01 and serial 0001', () => {
    expect(checkSsn('123-00-6788')).toEqual({ valid: false, code: 'SSN_NEVER_ISSUED', problem: expect.stringContaining('group') });
    expect(checkSsn('123-45-0000')).toEqual({ valid: false, code: 'SSN_NEVER_ISSUED', problem: expect.stringContaining('serial') });
    expect(checkSsn('123-01-6788').valid).toBe(true);
    expect(checkSsn('123-45-0001').valid).toBe(true);
  });

  // The SSA's history of misused numbers: the Woolworth wallet card (1938) and the 1940 pamphlet specimen.
  it.each(['078-05-1120', '078051120', '219-09-9999', '123-45-6789'])('refuses the published specimen number %s as voided', (ssn) => {
    expect(checkSsn(ssn)).toEqual({ valid: false, code: 'SSN_VOIDED', problem: expect.stringContaining('voided') });
  });

  it('accepts the numbers one digit away from each voided specimen', () => {
    for (const digits of VOIDED_SSNS) {
      const neighbour = `${digits.slice(0, 8)}${(Number(digits[8]) + 1) % 10}`;
      expect(checkSsn(neighbour).valid).toBe(true);
    }
  });

  it.each(['12345678', '1234567890', '123-45-678a', '123 45 6789', ''])('refuses %j, which is not nine digits', (ssn) => {
    expect(checkSsn(ssn)).toEqual({ valid: false, code: 'SSN_MALFORMED', problem: 'SSN is not nine digits' });
  });

  it('never repeats the number in the problem it reports', () => {
    for (const [ssn, serial] of [
      ['666-12-3456', '3456'],
      ['123-00-4567', '4567'],
      ['12-3456789', '6789'],
      ['078-05-1120', '1120'],
    ] as const) {
      const result = checkSsn(ssn);
      expect(result.valid).toBe(false);
      if (!result.valid) expect(result.problem).not.toContain(serial);
    }
  });
});
