import { ageOfMajority } from './age-of-majority';

describe('age of majority by state', () => {
  // Code of Alabama § 26-1-1; Neb. Rev. Stat. § 43-2101; Miss. Code § 1-3-27.
  it('is 19 in Alabama and Nebraska and 21 in Mississippi', () => {
    expect(ageOfMajority('AL')).toBe(19);
    expect(ageOfMajority('NE')).toBe(19);
    expect(ageOfMajority('MS')).toBe(21);
  });

  it.each(['NY', 'CA', 'TX', 'DC', 'MO'])('is 18 in %s', (state) => {
    expect(ageOfMajority(state)).toBe(18);
  });
});
