/**
 * A record layout as the copybook parser produces it: where every field sits in the record, how
 * long it is, and how its bytes are to be read.
 */

/** A level-88 condition name: a value its field may hold, named (`88 ACCT-ACTIVE VALUE 'A'`). */
export interface ConditionName {
  /** As the copybook spells it, upper case: `ACCT-ACTIVE`. */
  name: string;
  /** camelCase: `acctActive`. */
  key: string;
  /** Strings for PIC X fields, integers for numeric ones (SPACES is '' as decoded text, ZERO is 0). */
  values: (string | number)[];
  line: number;
}

interface ItemBase {
  /** 01–49. */
  level: number;
  /** As the copybook spells it, upper case; `FILLER` for unnamed items. */
  name: string;
  /** The property of the item in a decoded record: the name in camelCase (`CUST-LAST-NAME` → `custLastName`); '' for FILLER. */
  key: string;
  filler: boolean;
  /** Byte offset of its first occurrence from the start of the record. */
  offset: number;
  /** Bytes of one occurrence. */
  size: number;
  /** OCCURS n TIMES: the item is a list of n rows of `size` bytes each. */
  occurs?: number;
  /** 1-based line of its entry in the copybook. */
  line: number;
}

/** PIC X(n) (or A): text in EBCDIC, right-padded with spaces. */
export interface TextField extends ItemBase {
  kind: 'text';
  picture: string;
  conditions: ConditionName[];
}

/** PIC [S]9(n)[V9(m)], zoned (USAGE DISPLAY) or packed (COMP-3). */
export interface DecimalField extends ItemBase {
  kind: 'zoned' | 'packed';
  picture: string;
  /** All digits, before and after the implied decimal point. */
  digits: number;
  /** Digits after the implied decimal point (V99: 2); values are integers in units of 10^-scale. */
  scale: number;
  signed: boolean;
  conditions: ConditionName[];
}

/** An item without a picture: the items under it. */
export interface GroupItem extends ItemBase {
  kind: 'group';
  items: Item[];
}

export type ElementaryItem = TextField | DecimalField;
export type Item = ElementaryItem | GroupItem;

/** One 01-level record. */
export interface RecordLayout {
  /** As the copybook spells it: `CUSTOMER-INQUIRY-REQUEST`. */
  name: string;
  /** PascalCase, for the generated TypeScript type: `CustomerInquiryRequest`. */
  typeName: string;
  /** Bytes of the whole record. */
  length: number;
  items: Item[];
  line: number;
  /** The copybook's name or file, when the parser was given one. */
  source?: string;
}

/** `CUST-LAST-NAME` → `custLastName`; `CUST-ADDR-LINE-1` → `custAddrLine1`. */
export function camelCaseOf(cobolName: string): string {
  return cobolName
    .toLowerCase()
    .split('-')
    .map((part, i) => (i === 0 ? part : part.charAt(0).toUpperCase() + part.slice(1)))
    .join('');
}

/** `CUSTOMER-INQUIRY-REQUEST` → `CustomerInquiryRequest`. */
export function pascalCaseOf(cobolName: string): string {
  const camel = camelCaseOf(cobolName);
  return camel.charAt(0).toUpperCase() + camel.slice(1);
}

/** Visits every elementary item of a layout with its path from the record (OCCURS items once). */
export function elementaryItems(items: readonly Item[], path: readonly GroupItem[] = []): { item: ElementaryItem; path: readonly GroupItem[] }[] {
  return items.flatMap((item) => (item.kind === 'group' ? elementaryItems(item.items, [...path, item]) : [{ item, path }]));
}
