/**
 * Reads COBOL copybooks in fixed (reference) format into record layouts.
 *
 * Columns 1–6 are the sequence area and 73–80 the identification area (both ignored); column 7 is
 * the indicator (space, or `*` / `/` for a comment line); the entries are in columns 8–72 and end
 * with a period. What a fixed-width record layout needs is supported:
 *
 * - level numbers 01–49 (a 01 per record; several records per copybook) and 88 condition names;
 * - `PIC X(n)` / `A(n)` text; `PIC 9(n)`, `S9(n)`, `S9(n)V9(m)` numbers, zoned (USAGE DISPLAY, the
 *   default) or packed (`COMP-3`, `COMPUTATIONAL-3`, `PACKED-DECIMAL`), up to 31 digits;
 * - `OCCURS n [TIMES]` on groups and fields (not at level 01), nested too; `FILLER` or no name.
 *
 * Anything else stops the parse with a `CopybookError` naming the line: REDEFINES, RENAMES,
 * OCCURS DEPENDING ON, binary and floating-point usages, SYNC, JUSTIFIED, SIGN SEPARATE, edited
 * pictures, VALUE outside level 88, continuation lines. A clause that changes where bytes sit is
 * never ignored: a layout that is wrong by one byte decodes every later field wrongly.
 */
import { MAX_DECIMAL_DIGITS, packedLength } from './decimal';
import { CopybookError } from './errors';
import { camelCaseOf, pascalCaseOf, type ConditionName, type GroupItem, type Item, type RecordLayout } from './layout';

export interface ParseOptions {
  /** The copybook's name or file, quoted in errors and kept on each layout. */
  source?: string;
}

/** Every 01-level record of `text`, in the order they appear. */
export function parseCopybook(text: string, options: ParseOptions = {}): RecordLayout[] {
  const fail = (line: number, problem: string): never => {
    throw new CopybookError(line, problem, options.source);
  };
  const entries = entriesOf(tokenize(text, fail), fail);
  return new RecordBuilder(fail, options.source).build(entries);
}

/** The one record of a copybook that must hold exactly one. */
export function parseRecord(text: string, options: ParseOptions = {}): RecordLayout {
  const records = parseCopybook(text, options);
  if (records.length !== 1) {
    throw new CopybookError(records[1]?.line ?? 1, `expected one 01 record, found ${records.length}`, options.source);
  }
  return records[0];
}

type Fail = (line: number, problem: string) => never;

interface Token {
  text: string;
  line: number;
  /** A literal in quotes (its text without them). */
  quoted: boolean;
  /** The separator period that ends an entry. */
  period?: true;
}

const SEQUENCE_AREA = 6;
const INDICATOR = 6;
const CODE_END = 72;
const MAX_LINE = 80;

function tokenize(text: string, fail: Fail): Token[] {
  const tokens: Token[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (raw.includes('\t')) fail(line, 'a tab: a fixed-format copybook places text by column, so use spaces');
    if (raw.length > MAX_LINE) fail(line, `the line is longer than ${MAX_LINE} columns`);
    if (raw.length <= SEQUENCE_AREA) return;
    const indicator = raw.charAt(INDICATOR);
    if (indicator === '*' || indicator === '/') return;
    if (indicator === '-') fail(line, 'continuation lines (- in column 7) are not supported');
    if (indicator !== ' ' && indicator !== '') fail(line, `column 7 holds "${indicator}": expected a space, * or /`);
    scanCode(raw.slice(INDICATOR + 1, CODE_END), line, tokens, fail);
  });
  return tokens;
}

/** Splits columns 8–72 of one line into words, literals and separator periods. */
function scanCode(code: string, line: number, tokens: Token[], fail: Fail): void {
  let at = 0;
  const separatorFollows = (index: number) => index >= code.length || code[index] === ' ';
  while (at < code.length) {
    const char = code[at];
    if (char === ' ') {
      at++;
      continue;
    }
    if (char === "'" || char === '"') {
      let literal = '';
      let end = at + 1;
      for (;;) {
        if (end >= code.length) fail(line, 'a literal does not close on its line (continued literals are not supported)');
        if (code[end] === char) {
          if (code[end + 1] !== char) break;
          end++; // a doubled quote is one quote character
        }
        literal += code[end];
        end++;
      }
      tokens.push({ text: literal, line, quoted: true });
      at = end + 1;
      if (code[at] === '.' && separatorFollows(at + 1)) {
        tokens.push({ text: '.', line, quoted: false, period: true });
        at++;
      } else if (code[at] === ',' || code[at] === ';') at++;
      if (!separatorFollows(at)) fail(line, 'a literal must be followed by a space');
      continue;
    }
    let end = at;
    while (end < code.length && code[end] !== ' ') end++;
    let word = code.slice(at, end);
    at = end;
    const period = word.endsWith('.');
    if (period) word = word.slice(0, -1);
    word = word.replace(/[,;]$/, '');
    if (word.length > 0) tokens.push({ text: word, line, quoted: false });
    if (period) tokens.push({ text: '.', line, quoted: false, period: true });
  }
}

interface Entry {
  line: number;
  level: number;
  /** Upper case; undefined when the entry has no name (a FILLER). */
  name?: string;
  picture?: { text: string; line: number };
  usage?: 'display' | 'packed';
  occurs?: number;
  values?: (string | number)[];
}

function entriesOf(tokens: Token[], fail: Fail): Entry[] {
  const entries: Entry[] = [];
  let pending: Token[] = [];
  for (const token of tokens) {
    if (token.period) {
      if (pending.length === 0) fail(token.line, 'a period with no entry before it');
      entries.push(parseEntry(pending, fail));
      pending = [];
    } else pending.push(token);
  }
  if (pending.length > 0) fail(pending[0].line, 'the entry does not end with a period');
  return entries;
}

const USAGES: Readonly<Record<string, 'display' | 'packed'>> = {
  DISPLAY: 'display',
  'COMP-3': 'packed',
  'COMPUTATIONAL-3': 'packed',
  'PACKED-DECIMAL': 'packed',
};

const BINARY = (usage: string) => `binary fields (${usage}) are not supported: use COMP-3 or DISPLAY`;
const FLOATING_POINT = (usage: string) => `floating-point fields (${usage}) are not supported`;

const UNSUPPORTED_USAGES: Readonly<Record<string, string>> = {
  COMP: BINARY('COMP'),
  COMPUTATIONAL: BINARY('COMPUTATIONAL'),
  'COMP-4': BINARY('COMP-4'),
  'COMPUTATIONAL-4': BINARY('COMPUTATIONAL-4'),
  'COMP-5': BINARY('COMP-5'),
  'COMPUTATIONAL-5': BINARY('COMPUTATIONAL-5'),
  BINARY: BINARY('BINARY'),
  'COMP-1': FLOATING_POINT('COMP-1'),
  'COMPUTATIONAL-1': FLOATING_POINT('COMPUTATIONAL-1'),
  'COMP-2': FLOATING_POINT('COMP-2'),
  'COMPUTATIONAL-2': FLOATING_POINT('COMPUTATIONAL-2'),
  INDEX: 'USAGE INDEX is not supported',
  POINTER: 'USAGE POINTER is not supported',
  NATIONAL: 'national (UTF-16) fields are not supported',
  'DISPLAY-1': 'DBCS fields (DISPLAY-1) are not supported',
};

const UNSUPPORTED_CLAUSES: Readonly<Record<string, string>> = {
  REDEFINES: 'REDEFINES is not supported: every byte of a record has one meaning here',
  RENAMES: 'RENAMES is not supported',
  SYNC: 'SYNC is not supported: records have no slack bytes',
  SYNCHRONIZED: 'SYNCHRONIZED is not supported: records have no slack bytes',
  JUST: 'JUSTIFIED is not supported: text is left-justified',
  JUSTIFIED: 'JUSTIFIED is not supported: text is left-justified',
  BLANK: 'BLANK WHEN ZERO is not supported',
  SIGN: 'SIGN clauses are not supported: the sign is overpunched in the last digit (trailing, not separate)',
  EXTERNAL: 'EXTERNAL is not supported',
  GLOBAL: 'GLOBAL is not supported',
};

const CLAUSE_WORDS = new Set([
  'PIC',
  'PICTURE',
  'USAGE',
  'OCCURS',
  'VALUE',
  'VALUES',
  ...Object.keys(USAGES),
  ...Object.keys(UNSUPPORTED_USAGES),
  ...Object.keys(UNSUPPORTED_CLAUSES),
]);

const DATA_NAME = /^[A-Z0-9][A-Z0-9-]{0,28}[A-Z0-9]$|^[A-Z]$/;

function parseEntry(tokens: Token[], fail: Fail): Entry {
  const [first] = tokens;
  const line = first.line;
  if (first.quoted || !/^\d{1,2}$/.test(first.text)) fail(line, `expected a level number, found "${first.text}"`);
  const level = Number(first.text);
  if (level === 66) fail(line, 'level 66 (RENAMES) is not supported');
  if (level === 77) fail(line, 'level 77 items are not supported: a record starts at level 01');
  if (level < 1 || (level > 49 && level !== 88)) fail(line, `${first.text} is not a level number (01–49, 88)`);
  const entry: Entry = { line, level };

  let at = 1;
  const next = () => tokens[at];
  const upper = (token: Token | undefined) => (token && !token.quoted ? token.text.toUpperCase() : undefined);
  const nameWord = upper(next());
  if (nameWord !== undefined && !CLAUSE_WORDS.has(nameWord)) {
    if (nameWord !== 'FILLER') {
      if (!DATA_NAME.test(nameWord) || !/[A-Z]/.test(nameWord))
        fail(line, `"${next().text}" is not a COBOL data name (letters, digits, inner hyphens; 30 at most)`);
      entry.name = nameWord;
    }
    at++;
  }

  while (at < tokens.length) {
    const token = next();
    const word = upper(token);
    at++;
    if (word === 'PIC' || word === 'PICTURE') {
      if (upper(next()) === 'IS') at++;
      const picture = next();
      if (!picture || picture.quoted) fail(line, 'PICTURE needs a character string');
      if (entry.picture) fail(line, 'a second PICTURE clause');
      entry.picture = { text: picture.text.toUpperCase(), line: picture.line };
      at++;
    } else if (word === 'USAGE' || (word !== undefined && (word in USAGES || word in UNSUPPORTED_USAGES))) {
      let usageWord = word;
      if (word === 'USAGE') {
        if (upper(next()) === 'IS') at++;
        usageWord = upper(next()) ?? '';
        at++;
      }
      if (usageWord in UNSUPPORTED_USAGES) fail(line, UNSUPPORTED_USAGES[usageWord]);
      const usage = USAGES[usageWord];
      if (usage === undefined) fail(line, `unknown USAGE "${usageWord}"`);
      if (entry.usage) fail(line, 'a second USAGE clause');
      entry.usage = usage;
    } else if (word === 'OCCURS') {
      const count = next();
      if (!count || count.quoted || !/^\d+$/.test(count.text) || Number(count.text) < 1) fail(line, 'OCCURS needs a positive whole number of times');
      if (entry.occurs !== undefined) fail(line, 'a second OCCURS clause');
      entry.occurs = Number(count.text);
      at++;
      if (upper(next()) === 'TIMES') at++;
      const after = upper(next());
      if (after === 'TO' || after === 'DEPENDING')
        fail(line, 'OCCURS DEPENDING ON (a variable-length table) is not supported: records are fixed-width');
      if (after === 'ASCENDING' || after === 'DESCENDING' || after === 'INDEXED') fail(line, `OCCURS … ${after} is not supported`);
    } else if (word === 'VALUE' || word === 'VALUES') {
      if (level !== 88) fail(line, 'VALUE is supported on level-88 condition names only');
      if (upper(next()) === 'IS' || upper(next()) === 'ARE') at++;
      entry.values = [];
      while (at < tokens.length) entry.values.push(literalOf(tokens[at++], fail));
      if (entry.values.length === 0) fail(line, 'VALUE needs at least one literal');
    } else if (word !== undefined && word in UNSUPPORTED_CLAUSES) {
      fail(line, UNSUPPORTED_CLAUSES[word]);
    } else {
      fail(token.line, `unexpected "${token.text}"`);
    }
  }
  return entry;
}

function literalOf(token: Token, fail: Fail): string | number {
  if (token.quoted) return token.text;
  const word = token.text.toUpperCase();
  if (word === 'SPACE' || word === 'SPACES') return '';
  if (word === 'ZERO' || word === 'ZEROS' || word === 'ZEROES') return 0;
  if (word === 'THRU' || word === 'THROUGH') fail(token.line, 'VALUE … THRU ranges are not supported: list the values');
  if (/^[+-]?\d{1,15}$/.test(word)) return Number(word);
  return fail(token.line, `"${token.text}" is not a literal (a quoted text, a whole number, SPACES or ZERO)`);
}

type Picture = { kind: 'text'; length: number } | { kind: 'decimal'; digits: number; scale: number; signed: boolean };

const EDITING_SYMBOLS = new Set(['Z', 'B', '0', '/', ',', '.', '+', '-', '*', '$', 'C', 'R', 'D', 'E']);

function pictureOf(text: string, line: number, fail: Fail): Picture {
  const symbols: string[] = [];
  for (let at = 0; at < text.length; ) {
    const symbol = text[at];
    if (EDITING_SYMBOLS.has(symbol)) fail(line, `edited picture ${text} is not supported: records carry plain X, 9, S and V`);
    if (symbol === 'P') fail(line, `decimal scaling (P) in ${text} is not supported`);
    if (symbol === 'N' || symbol === 'G' || symbol === 'U' || symbol === '1') fail(line, `national and DBCS pictures (${text}) are not supported`);
    if (!'XA9SV'.includes(symbol)) fail(line, `"${symbol}" is not a picture symbol (in ${text})`);
    at++;
    let count = 1;
    if (text[at] === '(') {
      const close = text.indexOf(')', at);
      const repeat = close < 0 ? '' : text.slice(at + 1, close);
      if (!/^\d+$/.test(repeat) || Number(repeat) < 1) fail(line, `${text} has a bad repeat count`);
      count = Number(repeat);
      at = close + 1;
    }
    if ((symbol === 'S' || symbol === 'V') && count !== 1) fail(line, `${symbol} appears once at most (in ${text})`);
    for (let i = 0; i < count; i++) symbols.push(symbol);
  }
  if (symbols.every((symbol) => symbol === 'X' || symbol === 'A')) return { kind: 'text', length: symbols.length };
  if (symbols.some((symbol) => symbol === 'X' || symbol === 'A')) fail(line, `${text} mixes text (X, A) and digits (9), which is not supported`);
  const signed = symbols[0] === 'S';
  const rest = signed ? symbols.slice(1) : symbols;
  if (rest.includes('S')) fail(line, `S must come first (in ${text})`);
  const point = rest.indexOf('V');
  if (point >= 0 && rest.indexOf('V', point + 1) >= 0) fail(line, `V appears once at most (in ${text})`);
  const digits = rest.filter((symbol) => symbol === '9').length;
  if (digits === 0) fail(line, `${text} has no digit positions`);
  if (digits > MAX_DECIMAL_DIGITS) fail(line, `${text} has ${digits} digits; ${MAX_DECIMAL_DIGITS} at most`);
  return { kind: 'decimal', digits, scale: point < 0 ? 0 : rest.length - point - 1, signed };
}

class RecordBuilder {
  private readonly records: RecordLayout[] = [];
  private record?: RecordLayout;
  private root?: GroupItem;
  /** The groups still open, innermost last; the record's root first. */
  private open: GroupItem[] = [];
  private last?: Item;
  private conditionNames = new Set<string>();

  constructor(
    private readonly fail: Fail,
    private readonly source: string | undefined,
  ) {}

  build(entries: Entry[]): RecordLayout[] {
    for (const entry of entries) {
      if (entry.level === 88) this.addCondition(entry);
      else if (entry.level === 1) this.startRecord(entry);
      else this.addItem(entry);
    }
    this.finishRecord();
    return this.records;
  }

  private startRecord(entry: Entry): void {
    this.finishRecord();
    const fail: Fail = this.fail;
    const name = entry.name;
    if (name === undefined) return fail(entry.line, 'a 01 record needs a name');
    if (entry.picture) fail(entry.line, `${name}: a 01 record with a PICTURE is not supported; put its fields under it`);
    if (entry.occurs !== undefined) fail(entry.line, 'OCCURS is not allowed at level 01');
    if (entry.usage) fail(entry.line, `${name}: USAGE on a group is not supported; give it to each field`);
    if (this.records.some((record) => record.name === name)) fail(entry.line, `record ${name} is defined twice`);
    this.root = { kind: 'group', level: 1, name, key: camelCaseOf(name), filler: false, offset: 0, size: 0, line: entry.line, items: [] };
    this.record = {
      name,
      typeName: pascalCaseOf(name),
      length: 0,
      items: this.root.items,
      line: entry.line,
      ...(this.source ? { source: this.source } : {}),
    };
    this.open = [this.root];
    this.last = this.root;
    this.conditionNames = new Set();
  }

  private addItem(entry: Entry): void {
    const fail: Fail = this.fail;
    const last = this.last;
    if (!this.record || !last) return fail(entry.line, `level ${entry.level} before any 01 record`);
    if (last.kind !== 'group' && entry.level > last.level) fail(entry.line, `${last.name} has a PICTURE, so it cannot contain items`);
    while (this.open[this.open.length - 1].level >= entry.level) this.close(this.open.pop() as GroupItem);
    const parent = this.open[this.open.length - 1];
    const sibling = parent.items[0];
    if (sibling && sibling.level !== entry.level) {
      fail(entry.line, `level ${entry.level} does not line up with ${sibling.name} (level ${sibling.level}) under ${parent.name}`);
    }
    const name = entry.name ?? 'FILLER';
    const filler = entry.name === undefined;
    const key = filler ? '' : camelCaseOf(name);
    if (!filler) {
      for (const other of parent.items) {
        if (other.name === name) fail(entry.line, `${name} is defined twice under ${parent.name}`);
        if (other.key === key) fail(entry.line, `${name} and ${other.name} have the same property name "${key}"`);
      }
    }
    const base = {
      level: entry.level,
      name,
      key,
      filler,
      offset: 0,
      line: entry.line,
      ...(entry.occurs === undefined ? {} : { occurs: entry.occurs }),
    };
    let item: Item;
    if (entry.picture) {
      const picture = pictureOf(entry.picture.text, entry.picture.line, fail);
      if (picture.kind === 'text') {
        if (entry.usage === 'packed') fail(entry.line, `${name}: COMP-3 needs a numeric picture`);
        item = { ...base, kind: 'text', picture: entry.picture.text, size: picture.length, conditions: [] };
      } else {
        const packed = entry.usage === 'packed';
        const size = packed ? packedLength(picture.digits) : picture.digits;
        item = {
          ...base,
          kind: packed ? 'packed' : 'zoned',
          picture: entry.picture.text,
          digits: picture.digits,
          scale: picture.scale,
          signed: picture.signed,
          size,
          conditions: [],
        };
      }
    } else {
      if (entry.usage) fail(entry.line, `${name}: USAGE on a group is not supported; give it to each field`);
      if (filler) fail(entry.line, 'a FILLER group is not supported: name the group or give the FILLER a PICTURE');
      item = { ...base, kind: 'group', size: 0, items: [] };
      this.open.push(item);
    }
    parent.items.push(item);
    this.last = item;
  }

  private addCondition(entry: Entry): void {
    const fail: Fail = this.fail;
    const owner = this.last;
    if (!this.record || !owner) return fail(entry.line, 'a level-88 condition name with no field before it');
    const { name, values } = entry;
    if (name === undefined) return fail(entry.line, 'a level-88 entry needs a condition name');
    if (entry.picture || entry.usage || entry.occurs !== undefined) fail(entry.line, `${name}: a condition name takes VALUE only`);
    if (!values) return fail(entry.line, `${name}: a condition name needs VALUE`);
    if (owner.kind === 'group') fail(entry.line, `${name}: condition names on groups are not supported`);
    if (owner.filler) fail(entry.line, `${name}: condition names on FILLER are not supported`);
    if (this.conditionNames.has(name)) fail(entry.line, `condition name ${name} is defined twice in ${this.record.name}`);
    this.conditionNames.add(name);
    for (const value of values) {
      if (owner.kind === 'text') {
        if (typeof value !== 'string') fail(entry.line, `${name}: ${owner.name} is text, so its values are quoted`);
        else if (value.length > owner.size) fail(entry.line, `${name}: the value is longer than ${owner.name}`);
      } else {
        if (typeof value !== 'number') fail(entry.line, `${name}: ${owner.name} is numeric, so its values are numbers`);
        else if (String(Math.abs(value)).length > owner.digits || (value < 0 && !owner.signed))
          fail(entry.line, `${name}: the value does not fit ${owner.name}`);
      }
    }
    const condition: ConditionName = { name, key: camelCaseOf(name), values, line: entry.line };
    owner.conditions.push(condition);
  }

  private close(group: GroupItem): void {
    if (group.items.length === 0) this.fail(group.line, `${group.name} has neither a PICTURE nor items under it`);
  }

  private finishRecord(): void {
    if (!this.record || !this.root) return;
    for (const group of this.open.reverse()) this.close(group);
    this.record.length = place(this.root.items, 0);
    this.records.push(this.record);
    this.record = undefined;
  }
}

/** Gives each item its offset and each group its size; returns the bytes the items take. */
function place(items: Item[], start: number): number {
  let offset = start;
  for (const item of items) {
    item.offset = offset;
    if (item.kind === 'group') item.size = place(item.items, offset);
    offset += item.size * (item.occurs ?? 1);
  }
  return offset - start;
}
