import { isPrintableText } from './text';

describe('printable text', () => {
  it.each(['Ada Lovelace', 'Séverine Contrefaçon', "Seamus O'Smuggle", '1 Main St, Apt #4', '山田 太郎', 'Zoë 👩‍💻'])('accepts %j', (text) => {
    expect(isPrintableText(text)).toBe(true);
  });

  it.each([
    ['a NUL byte', 'Ada\u0000'],
    ['a line break', '1 Main St\nSecond line'],
    ['an escape sequence', '\u001b[31mAda'],
    ['DEL', 'Ada\u007f'],
    ['a C1 control', 'Ada\u0085'],
    ['a line separator', 'Ada\u2028Lovelace'],
    ['a lone high surrogate', 'Ada \ud83d'],
    ['a lone low surrogate', '\ude00 Main St'],
    ['two high surrogates', '\ud83d\ud83d'],
  ])('refuses %s', (_label, text) => {
    expect(isPrintableText(text)).toBe(false);
  });
});
