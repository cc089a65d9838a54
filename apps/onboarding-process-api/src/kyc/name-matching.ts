/**
 * Fuzzy comparison of personal names for watch-list screening, written for this sandbox:
 * normalise (case, accents, punctuation), compare token-sorted (so "Blackhat, Mallory" is
 * "Mallory Blackhat"), and score with Jaro-Winkler similarity (0 = nothing alike, 1 = equal),
 * which rewards a shared beginning and tolerates typos and transpositions in short strings.
 */

/** Letters that Unicode decomposition does not turn into ASCII. */
const FOLDED_LETTERS: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
};

/**
 * The tokens of a name, lower-case ASCII: accents removed ("Séverine" → "severine"), apostrophes
 * dropped inside words ("O'Smuggle" → "osmuggle"), every other non-alphanumeric a separator
 * ("Jean-Baptiste" → "jean", "baptiste").
 */
export function nameTokens(name: string): string[] {
  const folded = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[ßæœøłđðþı]/g, (letter) => FOLDED_LETTERS[letter] ?? letter)
    .replace(/['’‘`´]/g, '');
  return folded.split(/[^a-z0-9]+/).filter((token) => token.length > 0);
}

/** Jaro similarity of two strings, 0–1. */
export function jaro(a: string, b: string): number {
  if (a === b) return 1;
  if (a.length === 0 || b.length === 0) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatched = new Array<boolean>(a.length).fill(false);
  const bMatched = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    const from = Math.max(0, i - window);
    const to = Math.min(b.length - 1, i + window);
    for (let j = from; j <= to; j++) {
      if (bMatched[j] || a[i] !== b[j]) continue;
      aMatched[i] = true;
      bMatched[j] = true;
      matches++;
      break;
    }
  }
  if (matches === 0) return 0;
  // Matched characters that appear in a different order count as half a transposition each.
  let outOfOrder = 0;
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    if (!aMatched[i]) continue;
    while (!bMatched[j]) j++;
    if (a[i] !== b[j]) outOfOrder++;
    j++;
  }
  const transpositions = outOfOrder / 2;
  return (matches / a.length + matches / b.length + (matches - transpositions) / matches) / 3;
}

/** Jaro-Winkler similarity: Jaro, raised for a common prefix of up to four characters (scale 0.1). */
export function jaroWinkler(a: string, b: string): number {
  const similarity = jaro(a, b);
  let prefix = 0;
  while (prefix < Math.min(4, a.length, b.length) && a[prefix] === b[prefix]) prefix++;
  return similarity + prefix * 0.1 * (1 - similarity);
}

/** Most tokens a name may have for the subset comparison; longer names compare whole only. */
const MAX_TOKENS_FOR_SUBSETS = 8;

/**
 * How much a person's name resembles a listed name, 0–1, as the best of:
 * - the token-sorted names ("Blackhat, Mallory" vs "Mallory Blackhat" → 1);
 * - the person's name reduced to as many tokens as the listed name has, trying every choice, so
 *   extra middle names or suffixes do not hide a listed person ("Mallory Ann Blackhat" → 1);
 * - the names with their separators removed, so split or joined parts compare equal
 *   ("Jean Baptiste Fauxnom" vs "Jean-Baptiste Faux-Nom" → 1).
 * Not symmetric on purpose: the listed name is never reduced, or part of it ("Jean Baptiste" of
 * "Jean-Baptiste Faux-Nom") would match everyone who shares it; and it needs two tokens at least.
 */
export function nameSimilarity(personName: string, listedName: string): number {
  const person = nameTokens(personName);
  const listed = nameTokens(listedName);
  if (person.length === 0 || listed.length === 0) return 0;
  const sortedKey = (tokens: readonly string[]) => [...tokens].sort().join(' ');
  const listedKey = sortedKey(listed);
  let best = Math.max(jaroWinkler(sortedKey(person), listedKey), jaroWinkler(person.join(''), listed.join('')));
  if (listed.length >= 2 && person.length > listed.length && person.length <= MAX_TOKENS_FOR_SUBSETS) {
    for (const subset of combinations(person, listed.length)) {
      best = Math.max(best, jaroWinkler(sortedKey(subset), listedKey));
      if (best === 1) break;
    }
  }
  return best;
}

/** Every choice of `size` items of `items`, in their original order. */
function* combinations<T>(items: readonly T[], size: number, start = 0, chosen: T[] = []): Generator<T[]> {
  if (chosen.length === size) {
    yield [...chosen];
    return;
  }
  for (let i = start; i <= items.length - (size - chosen.length); i++) {
    chosen.push(items[i] as T);
    yield* combinations(items, size, i + 1, chosen);
    chosen.pop();
  }
}
