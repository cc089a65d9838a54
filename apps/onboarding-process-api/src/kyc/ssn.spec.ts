import { checkSsn } from './ssn';

describe('checkSsn', () => {
  it('accepts an issued-looking SSN dashed or as nine digits and gives its digits and parts', () => {
    expect(checkSsn('123-45-6789')).toEqual({
      valid: true,
      digits: '123456789',
      parts: { area: '123', group: '45', serial: '6789' },
    });
    expect(checkSsn('123456789')).toMatchObject({
      valid: true,
      digits: '123456789',
    });
  });

  it.each(['000', '666', '900', '950', '999'])('refuses the never-issued area %s', (area) => {
    expect(checkSsn(`${area}-45-6789`)).toEqual({
      valid: false,
      problem: expect.stringContaining('area'),
    });
  });

  it.each(['001', '665', '667', '899'])('accepts the area %s next to the refused ones', (area) => {
    expect(checkSsn(`${area}-45-6789`).valid).toBe(true);
  });

  it('refuses group 00 and serial 0000 but accepts group 01 and serial 0001', () => {
    expect(checkSsn('123-00-6789')).toEqual({
      valid: false,
      problem: expect.stringContaining('group'),
    });
    expect(checkSsn('123-45-0000')).toEqual({
      valid: false,
      problem: expect.stringContaining('serial'),
    });
    expect(checkSsn('123-01-6789').valid).toBe(true);
    expect(checkSsn('123-45-0001').valid).toBe(true);
  });

  it.each(['12345678', '1234567890', '123-45-678a', '123 45 6789', ''])('refuses %j, which is not nine digits', (ssn) => {
    expect(checkSsn(ssn)).toEqual({
      valid: false,
      problem: 'SSN is not nine digits',
    });
  });

  it('never repeats the number in the problem it reports', () => {
    for (const [ssn, serial] of [
      ['666-12-3456', '3456'],
      ['123-00-4567', '4567'],
      ['12-3456789', '6789'],
    ] as const) {
      const result = checkSsn(ssn);
      expect(result.valid).toBe(false);
      if (!result.valid) expect(result.problem).not.toContain(serial);
    }
  });
});
