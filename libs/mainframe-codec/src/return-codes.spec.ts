import { isReasonCode, ReasonCode, reasonName, ReturnCode, returnCodeOf } from './index';

describe('return and reason codes', () => {
  it('climb in steps of four from 0 to 16', () => {
    expect(Object.values(ReturnCode)).toEqual([0, 4, 8, 12, 16]);
  });

  it('give every reason code a return code by its leading digits, and no code twice', () => {
    const codes = Object.values(ReasonCode);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(Object.values(ReturnCode)).toContain(returnCodeOf(code));
    expect(returnCodeOf(ReasonCode.NO_CHANGE)).toBe(ReturnCode.WARNING);
    expect(returnCodeOf(ReasonCode.BATCH_WINDOW)).toBe(ReturnCode.REFUSED);
    expect(returnCodeOf(ReasonCode.SEQUENCE_MISMATCH)).toBe(ReturnCode.ERROR);
    expect(returnCodeOf(ReasonCode.DATABASE_UNAVAILABLE)).toBe(ReturnCode.SEVERE);
    expect(returnCodeOf(ReasonCode.NONE)).toBe(ReturnCode.OK);
  });

  it('fit MSG-REASON-CODE, PIC 9(4)', () => {
    for (const code of Object.values(ReasonCode)) expect(code).toBeLessThanOrEqual(9999);
  });

  it('name a reason code, and know the codes that are not ones', () => {
    expect(reasonName(821)).toBe('BATCH_WINDOW');
    expect(reasonName(799)).toBeUndefined();
    expect(isReasonCode(1201)).toBe(true);
    expect(isReasonCode(1299)).toBe(false);
  });
});
