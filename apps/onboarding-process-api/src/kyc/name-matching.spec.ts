import { jaro, jaroWinkler, nameSimilarity, nameTokens } from './name-matching';

describe('name normalisation', () => {
  it('folds case and accents, drops apostrophes and splits on other punctuation', () => {
    expect(nameTokens('  Séverine  CONTREFAÇON ')).toEqual(['severine', 'contrefacon']);
    expect(nameTokens("Seamus O'Smuggle")).toEqual(['seamus', 'osmuggle']);
    expect(nameTokens('Seamus O’Smuggle')).toEqual(['seamus', 'osmuggle']);
    expect(nameTokens('Jean-Baptiste Faux-Nom, Jr.')).toEqual(['jean', 'baptiste', 'faux', 'nom', 'jr']);
  });

  it('spells out letters that have no accent to strip', () => {
    expect(nameTokens('Weiß Ørsted Łukasz Æsir')).toEqual(['weiss', 'orsted', 'lukasz', 'aesir']);
  });

  it('has no tokens for a name made only of punctuation', () => {
    expect(nameTokens(" - ' . ")).toEqual([]);
  });
});

describe('Jaro and Jaro-Winkler similarity', () => {
  it.each([
    ['martha', 'marhta', 0.9444, 0.9611],
    ['dwayne', 'duane', 0.8222, 0.84],
    ['dixon', 'dicksonx', 0.7667, 0.8133],
  ])('scores %s / %s as the published examples do', (a, b, expectedJaro, expectedWinkler) => {
    expect(jaro(a, b)).toBeCloseTo(expectedJaro, 4);
    expect(jaroWinkler(a, b)).toBeCloseTo(expectedWinkler, 4);
  });

  it('is 1 for equal strings, 0 for strings with nothing in common or an empty side', () => {
    expect(jaroWinkler('blackhat', 'blackhat')).toBe(1);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
    expect(jaroWinkler('', 'abc')).toBe(0);
  });

  it('is symmetric', () => {
    expect(jaroWinkler('mallory', 'malory')).toBeCloseTo(jaroWinkler('malory', 'mallory'), 10);
  });
});

describe('nameSimilarity', () => {
  it('ignores the order of the parts of a name', () => {
    expect(nameSimilarity('Blackhat, Mallory', 'Mallory Blackhat')).toBe(1);
  });

  it('finds a listed name inside a longer name with middle names or suffixes', () => {
    expect(nameSimilarity('Mallory Ann Blackhat', 'Mallory Blackhat')).toBe(1);
    expect(nameSimilarity('Mallory Blackhat Jr', 'Mallory Blackhat')).toBe(1);
  });

  it('treats split and joined parts alike', () => {
    expect(nameSimilarity('Jean Baptiste Fauxnom', 'Jean-Baptiste Faux-Nom')).toBe(1);
  });

  it('does not match a person who shares only part of a longer listed name', () => {
    expect(nameSimilarity('Jean Baptiste', 'Jean-Baptiste Faux-Nom')).toBeLessThan(0.93);
    expect(nameSimilarity('Jean Faux', 'Jean-Baptiste Faux-Nom')).toBeLessThan(0.93);
  });

  it('scores a one-letter typo above a different surname that shares a first name', () => {
    const typo = nameSimilarity('Malory Blackhat', 'Mallory Blackhat');
    const otherSurname = nameSimilarity('Mallory Whitehat', 'Mallory Blackhat');
    expect(typo).toBeGreaterThan(0.98);
    expect(otherSurname).toBeLessThan(0.9);
  });

  it('is 0 when either name has no letters or digits', () => {
    expect(nameSimilarity('...', 'Mallory Blackhat')).toBe(0);
  });
});
