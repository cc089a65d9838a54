import { SANDBOX_WATCH_LIST } from './watch-list';
import { screenName } from './watch-list-screening';

describe('watch-list screening', () => {
  it('bundles a dozen entries with distinct ids', () => {
    expect(SANDBOX_WATCH_LIST).toHaveLength(12);
    expect(new Set(SANDBOX_WATCH_LIST.map((entry) => entry.id)).size).toBe(12);
  });

  it.each([
    ['Mallory Blackhat', 'SBX-WL-001'],
    ['BLACKHAT, MALLORY', 'SBX-WL-001'],
    ['Severine Contrefacon', 'SBX-WL-010'],
    ['Seamus OSmuggle', 'SBX-WL-011'],
    ['Malory Blackhat', 'SBX-WL-001'],
    ['Rex Racketer', 'SBX-WL-005'],
    ['Neil Counterfeit', 'SBX-WL-003'],
  ])('takes %s to be watch-list entry %s', (name, entryId) => {
    expect(screenName(name, SANDBOX_WATCH_LIST)).toMatchObject({
      verdict: 'match',
      entry: { id: entryId },
    });
  });

  it('reports the alias a name matched', () => {
    expect(screenName('Neil Counterfeit', SANDBOX_WATCH_LIST)).toMatchObject({
      matchedName: 'Neil Counterfeit',
      score: 1,
    });
  });

  it.each([
    ['Mallory Black', 'SBX-WL-001'],
    ['Rex Rocketeer', 'SBX-WL-005'],
    ['Ignatius Forge', 'SBX-WL-008'],
    ['Lucy Launderwell', 'SBX-WL-007'],
  ])('holds %s, which resembles entry %s, for a person to look at', (name, entryId) => {
    const result = screenName(name, SANDBOX_WATCH_LIST);
    expect(result).toMatchObject({
      verdict: 'possible_match',
      entry: { id: entryId },
    });
    if (result.verdict === 'possible_match') expect(result.score).toBeLessThan(0.98);
  });

  it.each(['Ada Lovelace', 'Grace Hopper', 'John Smith', 'Maria Garcia', 'Li Wei', 'Jean Baptiste', 'Mallory Whitehat', 'Cornelius Vanderbilt'])(
    'clears %s',
    (name) => {
      expect(screenName(name, SANDBOX_WATCH_LIST).verdict).toBe('clear');
    },
  );

  it('applies the thresholds it is given', () => {
    const strict = { match: 1.01, possibleMatch: 0.5 };
    expect(screenName('Mallory Blackhat', SANDBOX_WATCH_LIST, strict).verdict).toBe('possible_match');
    expect(screenName('Ada Lovelace', SANDBOX_WATCH_LIST, strict).verdict).toBe('possible_match');
  });

  it('clears everyone against an empty list', () => {
    expect(screenName('Mallory Blackhat', [])).toEqual({
      verdict: 'clear',
      bestScore: 0,
    });
  });
});
