import { compareIdentity } from './customer-identity';

describe('compareIdentity', () => {
  const ada = { legalName: 'Ada Lovelace', dateOfBirth: '1990-04-01' };

  it('takes the same name and date of birth as the same person', () => {
    expect(compareIdentity(ada, { ...ada })).toEqual({ matches: true });
  });

  it('tolerates case, accents, order, a spelling slip and an added or dropped middle name', () => {
    for (const legalName of ['ADA LOVELACE', 'Adá Lovelace', 'Lovelace, Ada', 'Ada Lovelase', 'Ada King Lovelace']) {
      expect(compareIdentity({ ...ada, legalName }, ada)).toEqual({ matches: true });
      expect(compareIdentity(ada, { ...ada, legalName })).toEqual({ matches: true });
    }
  });

  it('refuses another date of birth, however alike the names', () => {
    expect(compareIdentity({ ...ada, dateOfBirth: '1990-04-02' }, ada)).toEqual({ matches: false, differs: 'date_of_birth' });
  });

  it('refuses another name on the same date of birth', () => {
    for (const legalName of ['Grace Hopper', 'Ada Byron', 'Jane Smith']) {
      expect(compareIdentity({ ...ada, legalName }, ada)).toEqual({ matches: false, differs: 'name' });
    }
    expect(compareIdentity({ legalName: 'Jane Smith', dateOfBirth: '1990-04-01' }, { legalName: 'John Smith', dateOfBirth: '1990-04-01' })).toEqual({
      matches: false,
      differs: 'name',
    });
  });
});
