import { CopybookError, parseCopybook, parseRecord, type DecimalField, type GroupItem, type Item, type TextField } from './index';

/** A fixed-format line: sequence number in 1–6, indicator in 7, code in 8–72, identification in 73–80. */
const fixed = (sequence: number, code: string, indicator = ' ') => `${String(sequence).padStart(6, '0')}${indicator}${code.padEnd(65)}SAMPLE01`;

/** A copybook of code lines, each placed from column 8 with no sequence or identification areas. */
const copybook = (...lines: string[]) => lines.map((line) => (line.startsWith('*') ? `      ${line}` : `       ${line}`)).join('\n');

const SAMPLE = [
  fixed(100, 'SAMPLE COPYBOOK WITH EVERY SUPPORTED CLAUSE', '*'),
  fixed(200, '01  SAMPLE-RECORD.'),
  fixed(300, '    05  SMP-CODE            PIC XXX.'),
  fixed(400, "        88  SMP-NEW                 VALUE 'NEW'."),
  fixed(500, "        88  SMP-OLD                 VALUES ARE 'OLD' 'OLX'."),
  fixed(600, '    05  SMP-COUNT           PIC 9(4).'),
  fixed(700, '        88  SMP-NONE                VALUE ZERO.'),
  fixed(800, '    05  SMP-AMOUNT          PIC S9(5)V99 COMP-3.'),
  fixed(900, '    05  FILLER              PIC X(2).'),
  fixed(1000, '    05  SMP-ROWS            OCCURS 3 TIMES.'),
  fixed(1100, '        10  SMP-ROW-ID      PIC 9(3).'),
  fixed(1200, '        10  SMP-ROW-FLAG    PIC X OCCURS 2.'),
  fixed(1300, '        10  SMP-ROW-DELTA   PICTURE IS S9(3)'),
  fixed(1400, '                            USAGE IS PACKED-DECIMAL.'),
  fixed(1500, '    05  SMP-TOTAL           PIC S9(7) COMPUTATIONAL-3.'),
  fixed(1600, '    05  SMP-RATE            PIC 9(3)V9(2).'),
  fixed(1700, '    05  SMP-BALANCE         PIC S9(4) DISPLAY.'),
  fixed(1800, '', '/'),
  fixed(1900, '01  OTHER-RECORD.'),
  fixed(2000, '    05  PIC X(5).'),
  fixed(2100, '    05  OTH-NAME            PIC A(4).'),
].join('\r\n');

const byName = (items: readonly Item[], name: string) => items.find((item) => item.name === name) as Item;

describe('parseCopybook', () => {
  const [sample, other] = parseCopybook(SAMPLE, { source: 'SAMPLE.cpy' });

  it('reads every 01 record, ignoring the sequence and identification areas and comment lines', () => {
    expect(parseCopybook(SAMPLE).map((record) => record.name)).toEqual(['SAMPLE-RECORD', 'OTHER-RECORD']);
    expect(sample).toMatchObject({ name: 'SAMPLE-RECORD', typeName: 'SampleRecord', line: 2, source: 'SAMPLE.cpy' });
  });

  it('places every field at its offset with its length, kind, scale and sign', () => {
    const fields = sample.items.map((item) => {
      const base = { name: item.name, key: item.key, offset: item.offset, size: item.size, kind: item.kind, occurs: item.occurs };
      return item.kind === 'zoned' || item.kind === 'packed' ? { ...base, digits: item.digits, scale: item.scale, signed: item.signed } : base;
    });
    expect(fields).toEqual([
      { name: 'SMP-CODE', key: 'smpCode', offset: 0, size: 3, kind: 'text', occurs: undefined },
      { name: 'SMP-COUNT', key: 'smpCount', offset: 3, size: 4, kind: 'zoned', occurs: undefined, digits: 4, scale: 0, signed: false },
      { name: 'SMP-AMOUNT', key: 'smpAmount', offset: 7, size: 4, kind: 'packed', occurs: undefined, digits: 7, scale: 2, signed: true },
      { name: 'FILLER', key: '', offset: 11, size: 2, kind: 'text', occurs: undefined },
      { name: 'SMP-ROWS', key: 'smpRows', offset: 13, size: 7, kind: 'group', occurs: 3 },
      { name: 'SMP-TOTAL', key: 'smpTotal', offset: 34, size: 4, kind: 'packed', occurs: undefined, digits: 7, scale: 0, signed: true },
      { name: 'SMP-RATE', key: 'smpRate', offset: 38, size: 5, kind: 'zoned', occurs: undefined, digits: 5, scale: 2, signed: false },
      { name: 'SMP-BALANCE', key: 'smpBalance', offset: 43, size: 4, kind: 'zoned', occurs: undefined, digits: 4, scale: 0, signed: true },
    ]);
    expect(sample.length).toBe(47);
  });

  it('places the items of an OCCURS group relative to its first row, with nested OCCURS', () => {
    const rows = byName(sample.items, 'SMP-ROWS') as GroupItem;
    expect(rows.items.map(({ name, offset, size, occurs }) => ({ name, offset, size, occurs }))).toEqual([
      { name: 'SMP-ROW-ID', offset: 13, size: 3, occurs: undefined },
      { name: 'SMP-ROW-FLAG', offset: 16, size: 1, occurs: 2 },
      { name: 'SMP-ROW-DELTA', offset: 18, size: 2, occurs: undefined },
    ]);
    expect(byName(rows.items, 'SMP-ROW-DELTA')).toMatchObject({ kind: 'packed', digits: 3, signed: true, picture: 'S9(3)', line: 13 });
  });

  it('keeps level-88 condition names with their values on their field', () => {
    expect((byName(sample.items, 'SMP-CODE') as TextField).conditions).toEqual([
      { name: 'SMP-NEW', key: 'smpNew', values: ['NEW'], line: 4 },
      { name: 'SMP-OLD', key: 'smpOld', values: ['OLD', 'OLX'], line: 5 },
    ]);
    expect((byName(sample.items, 'SMP-COUNT') as DecimalField).conditions).toEqual([{ name: 'SMP-NONE', key: 'smpNone', values: [0], line: 7 }]);
  });

  it('treats an entry without a name as FILLER and PIC A as text', () => {
    expect(other.items.map(({ name, filler, offset, size, kind }) => ({ name, filler, offset, size, kind }))).toEqual([
      { name: 'FILLER', filler: true, offset: 0, size: 5, kind: 'text' },
      { name: 'OTH-NAME', filler: false, offset: 5, size: 4, kind: 'text' },
    ]);
    expect(other.length).toBe(9);
  });

  it('camelCases names for the record object: CUST-LAST-NAME is custLastName', () => {
    const [record] = parseCopybook(copybook('01  R.', '    05  CUST-LAST-NAME   PIC X.', '    05  CUST-ADDR-LINE-1 PIC X.', '    05  X9 PIC X.'));
    expect(record.items.map((item) => item.key)).toEqual(['custLastName', 'custAddrLine1', 'x9']);
  });

  it('reads lower-case copybooks, doubled quotes in literals and literals holding periods', () => {
    const [record] = parseCopybook(
      copybook('01  r.', '    05  a-b pic x(4).', "        88  it-is value 'IT''S'.", "        88  dot   value 'A. B'."),
    );
    expect(record.items[0]).toMatchObject({ name: 'A-B', key: 'aB', conditions: [{ values: ["IT'S"] }, { values: ['A. B'] }] });
  });

  it('parses one record with parseRecord and refuses a copybook holding several', () => {
    expect(parseRecord(copybook('01  ONLY.', '    05  A PIC X.')).name).toBe('ONLY');
    expect(() => parseRecord(SAMPLE)).toThrow(/expected one 01 record, found 2/);
  });
});

describe('parseCopybook refusals', () => {
  /** The error a copybook raises. */
  function refusal(text: string): CopybookError {
    try {
      parseCopybook(text, { source: 'BAD.cpy' });
    } catch (error) {
      if (error instanceof CopybookError) return error;
      throw error;
    }
    throw new Error('expected a CopybookError');
  }

  const cases: [string, string, number, RegExp][] = [
    ['REDEFINES', copybook('01  R.', '    05  A PIC X(4).', '    05  B REDEFINES A PIC 9(4).'), 3, /REDEFINES is not supported/],
    ['OCCURS DEPENDING ON', copybook('01  R.', '    05  N PIC 9.', '    05  T OCCURS 1 TO 5 TIMES DEPENDING ON N PIC X.'), 3, /OCCURS DEPENDING ON/],
    ['OCCURS … DEPENDING without TO', copybook('01  R.', '    05  T OCCURS 5 TIMES DEPENDING ON N PIC X.'), 2, /OCCURS DEPENDING ON/],
    ['INDEXED BY', copybook('01  R.', '    05  T OCCURS 5 INDEXED BY I PIC X.'), 2, /OCCURS … INDEXED is not supported/],
    ['binary COMP', copybook('01  R.', '    05  A PIC S9(4) COMP.'), 2, /binary fields \(COMP\) are not supported/],
    ['USAGE BINARY', copybook('01  R.', '    05  A PIC S9(4) USAGE IS BINARY.'), 2, /binary fields \(BINARY\)/],
    ['floating point', copybook('01  R.', '    05  A COMP-2.'), 2, /floating-point fields \(COMP-2\)/],
    ['SYNC', copybook('01  R.', '    05  A PIC 9 SYNC.'), 2, /SYNC is not supported/],
    ['SIGN SEPARATE', copybook('01  R.', '    05  A PIC S9 SIGN LEADING SEPARATE.'), 2, /SIGN clauses are not supported/],
    ['JUSTIFIED', copybook('01  R.', '    05  A PIC X(3) JUST RIGHT.'), 2, /JUSTIFIED is not supported/],
    ['VALUE outside 88', copybook('01  R.', "    05  A PIC X VALUE 'Y'."), 2, /VALUE is supported on level-88 condition names only/],
    ['THRU', copybook('01  R.', '    05  A PIC 9.', '        88  LOW VALUE 1 THRU 3.'), 3, /THRU ranges are not supported/],
    ['edited picture', copybook('01  R.', '    05  A PIC ZZ9.99.'), 2, /edited picture ZZ9.99 is not supported/],
    ['scaling P', copybook('01  R.', '    05  A PIC 99PPP.'), 2, /decimal scaling \(P\)/],
    ['national', copybook('01  R.', '    05  A PIC N(5).'), 2, /national and DBCS/],
    ['mixed picture', copybook('01  R.', '    05  A PIC X(2)9(3).'), 2, /mixes text \(X, A\) and digits \(9\)/],
    ['S not first', copybook('01  R.', '    05  A PIC 9S9.'), 2, /S must come first/],
    ['two V', copybook('01  R.', '    05  A PIC 9V9V9.'), 2, /V appears once at most/],
    ['no digits', copybook('01  R.', '    05  A PIC SV.'), 2, /has no digit positions/],
    ['too many digits', copybook('01  R.', '    05  A PIC S9(32).'), 2, /32 digits; 31 at most/],
    ['bad repeat count', copybook('01  R.', '    05  A PIC X(0).'), 2, /bad repeat count/],
    ['COMP-3 on text', copybook('01  R.', '    05  A PIC X(3) COMP-3.'), 2, /COMP-3 needs a numeric picture/],
    ['USAGE on a group', copybook('01  R.', '    05  G COMP-3.', '        10  A PIC 9.'), 2, /USAGE on a group is not supported/],
    ['a tab', '       01  R.\n\t05  A PIC X.', 2, /a tab/],
    ['a continuation line', copybook('01  R.', '    05  A PIC X(3).') + "\n      -    'CONTINUED'.", 3, /continuation lines/],
    ['a debugging line', copybook('01  R.') + '\n      D    05  A PIC X.', 2, /column 7 holds "D"/],
    ['a line over 80 columns', copybook('01  R.', `    05  A PIC X.${' '.repeat(70)}X`), 2, /longer than 80 columns/],
    ['a missing period', copybook('01  R.', '    05  A PIC X'), 2, /does not end with a period/],
    ['an unclosed literal', copybook('01  R.', '    05  A PIC X.', "        88  Y VALUE 'Y."), 3, /does not close on its line/],
    ['level 66', copybook('01  R.', '    05  A PIC X.', '66  B RENAMES A.'), 3, /level 66/],
    ['level 77', copybook('77  A PIC X.'), 1, /level 77/],
    ['level 50', copybook('01  R.', '    50  A PIC X.'), 2, /50 is not a level number/],
    ['no level number', copybook('01  R.', '    A PIC X.'), 2, /expected a level number, found "A"/],
    ['an item before any record', copybook('05  A PIC X.'), 1, /level 5 before any 01 record/],
    [
      'an elementary item with items under it',
      copybook('01  R.', '    05  A PIC X.', '        10  B PIC X.'),
      3,
      /A has a PICTURE, so it cannot contain items/,
    ],
    [
      'misaligned levels',
      copybook('01  R.', '    05  G.', '        10  A PIC X.', '      07  B PIC X.'),
      4,
      /level 7 does not line up with A \(level 10\) under G/,
    ],
    ['a group with no items', copybook('01  R.', '    05  G.', '    05  A PIC X.'), 2, /G has neither a PICTURE nor items/],
    ['a record with no items', copybook('01  R.'), 1, /R has neither a PICTURE nor items/],
    ['a FILLER group', copybook('01  R.', '    05  FILLER.', '        10  A PIC X.'), 2, /a FILLER group is not supported/],
    ['a name defined twice', copybook('01  R.', '    05  A PIC X.', '    05  A PIC 9.'), 3, /A is defined twice under R/],
    [
      'names that camelCase alike',
      copybook('01  R.', '    05  A-B1 PIC X.', '    05  A-B-1 PIC 9.'),
      3,
      /A-B-1 and A-B1 have the same property name "aB1"/,
    ],
    ['a bad data name', copybook('01  R.', '    05  -A PIC X.'), 2, /"-A" is not a COBOL data name/],
    ['a name over 30 characters', copybook('01  R.', `    05  ${'A'.repeat(31)} PIC X.`), 2, /is not a COBOL data name/],
    ['a record twice', copybook('01  R.', '    05  A PIC X.', '01  R.', '    05  A PIC X.'), 3, /record R is defined twice/],
    ['a record with a PICTURE', copybook('01  R PIC X(5).'), 1, /a 01 record with a PICTURE is not supported/],
    ['OCCURS at 01', copybook('01  R OCCURS 2.', '    05  A PIC X.'), 1, /OCCURS is not allowed at level 01/],
    ['OCCURS 0', copybook('01  R.', '    05  A PIC X OCCURS 0.'), 2, /OCCURS needs a positive whole number/],
    ['an unknown clause', copybook('01  R.', '    05  A PIC X GREEN.'), 2, /unexpected "GREEN"/],
    ['88 with no field', copybook("88  Y VALUE 'Y'."), 1, /no field before it/],
    [
      '88 on a group',
      copybook('01  R.', '    05  G.', "        88  Y VALUE 'Y'.", '        10  A PIC X.'),
      3,
      /condition names on groups are not supported/,
    ],
    ['88 text value on a number', copybook('01  R.', '    05  A PIC 9.', "        88  Y VALUE 'Y'."), 3, /A is numeric, so its values are numbers/],
    ['88 value too long', copybook('01  R.', '    05  A PIC X.', "        88  Y VALUE 'YES'."), 3, /the value is longer than A/],
    ['88 negative value for an unsigned field', copybook('01  R.', '    05  A PIC 9.', '        88  Y VALUE -1.'), 3, /the value does not fit A/],
    [
      '88 name twice',
      copybook('01  R.', '    05  A PIC X.', "        88  Y VALUE 'Y'.", '    05  B PIC X.', "        88  Y VALUE 'N'."),
      5,
      /condition name Y is defined twice/,
    ],
  ];

  it.each(cases)('refuses %s, naming the line', (_, text, line, message) => {
    const error = refusal(text);
    expect({ line: error.line, source: error.source }).toEqual({ line, source: 'BAD.cpy' });
    expect(error.message).toMatch(message);
    expect(error.message.startsWith(`BAD.cpy line ${line}: `)).toBe(true);
  });
});
