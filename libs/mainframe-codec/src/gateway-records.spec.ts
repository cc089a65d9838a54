import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_MAX_FRAME_BYTES,
  GATEWAY_LAYOUTS,
  HEADER_LENGTH,
  LENGTH_PREFIX_BYTES,
  RECORD_COPYBOOKS,
  TRANSACTIONS,
  isTranCode,
  type GroupItem,
  type Item,
  type RecordName,
} from './index';

const COPYBOOKS = join(__dirname, '../copybooks');
const find = (items: readonly Item[], name: string): Item => {
  for (const item of items) {
    if (item.name === name) return item;
    if (item.kind === 'group') {
      const found = find(item.items, name);
      if (found) return found;
    }
  }
  return undefined as unknown as Item;
};

describe("the gateway's copybooks", () => {
  it('keep every line within column 72, so nothing relies on the identification area', () => {
    for (const file of readdirSync(COPYBOOKS)) {
      readFileSync(join(COPYBOOKS, file), 'utf8')
        .split('\n')
        .forEach((line, index) => expect({ file, line: index + 1, length: line.length <= 72 }).toEqual({ file, line: index + 1, length: true }));
    }
  });

  it('give each record the length added up by hand from its fields', () => {
    const lengths = Object.fromEntries(Object.entries(GATEWAY_LAYOUTS).map(([name, layout]) => [name, layout.length]));
    expect(lengths).toEqual({
      'MESSAGE-HEADER': 8 + 2 + 8 + 9 + 4 + 4 + 5 + 5 + 15,
      'CUSTOMER-INQUIRY-REQUEST': 1 + 10 + 9,
      'CUSTOMER-INQUIRY-RESPONSE': 10 + 200 + 8 + 9 + 254 + 16 + (100 + 100 + 60 + 2 + 10) + 26,
      'CUSTOMER-ADD-REQUEST': 200 + 8 + 9 + 254 + 16 + (100 + 100 + 60 + 2 + 10),
      'CUSTOMER-ADD-RESPONSE': 10 + 200 + 8 + 9 + 254 + 16 + (100 + 100 + 60 + 2 + 10) + 26,
      'ACCOUNT-INQUIRY-REQUEST': 1 + 10 + 10 + 10,
      'ACCOUNT-INQUIRY-RESPONSE': 2 + 1 + 10 + 10 * (10 + 10 + 11 + 3 + 3 + 1 + 26 + 26),
      'ACCOUNT-OPEN-REQUEST': 10 + 3 + 3,
      'ACCOUNT-OPEN-RESPONSE': 10 + 10 + 11 + 3 + 3 + 1 + 26 + 26,
      'ACCOUNT-STATUS-UPDATE-REQUEST': 10 + 1 + 500 + 64,
      'ACCOUNT-STATUS-UPDATE-RESPONSE': 10 + 10 + 11 + 3 + 3 + 1 + 26 + 26,
      'BALANCE-INQUIRY-REQUEST': 10,
      // Two PIC S9(15)V99 COMP-3 amounts: 17 digits and a sign nibble, 9 bytes each.
      'BALANCE-INQUIRY-RESPONSE': 10 + 3 + 9 + 9 + 26,
      'POST-TRANSACTION-REQUEST': 10 + 1 + 9 + 3 + 140 + 64,
      'POST-TRANSACTION-RESPONSE': 15 + 10 + 1 + 9 + 3 + 140 + 64 + 9 + 26,
      'TRANSACTION-HISTORY-REQUEST': 10 + 8 + 8 + 2 + 15,
      'TRANSACTION-HISTORY-RESPONSE': 2 + 1 + 15 + 20 * (15 + 1 + 9 + 3 + 140 + 64 + 9 + 26),
    });
    expect(HEADER_LENGTH).toBe(60);
  });

  it('place fields where a listing of the copybook would show them', () => {
    const header = GATEWAY_LAYOUTS['MESSAGE-HEADER'].items;
    expect(find(header, 'MSG-SEQUENCE-NO')).toMatchObject({ offset: 18, size: 9, kind: 'zoned', signed: false });
    expect(find(header, 'MSG-RETURN-CODE')).toMatchObject({ offset: 27, size: 4, kind: 'zoned', signed: true });
    expect(find(header, 'MSG-BODY-LENGTH')).toMatchObject({ offset: 40, size: 5 });
    const rows = find(GATEWAY_LAYOUTS['ACCOUNT-INQUIRY-RESPONSE'].items, 'ACCT-ROW') as GroupItem;
    expect(rows).toMatchObject({ offset: 13, size: 90, occurs: 10 });
    expect(find(rows.items, 'ACCT-STATUS')).toMatchObject({ offset: 50, size: 1 });
    const history = find(GATEWAY_LAYOUTS['TRANSACTION-HISTORY-RESPONSE'].items, 'HIST-ROW') as GroupItem;
    expect(find(history.items, 'HIST-AMOUNT')).toMatchObject({ offset: 34, size: 9, kind: 'packed', digits: 17, scale: 2, signed: true });
  });

  it('keep amounts in cents as signed packed decimal, wide enough for every balance the ledger allows', () => {
    const amounts = ['BAL-LEDGER', 'BAL-AVAILABLE', 'TXN-AMOUNT', 'TXN-BALANCE-AFTER', 'HIST-AMOUNT', 'HIST-BALANCE-AFTER'];
    for (const name of amounts) {
      const layout = Object.values(GATEWAY_LAYOUTS).find((record) => find(record.items, name));
      const field = find(layout?.items ?? [], name);
      expect({ name, field }).toMatchObject({ name, field: { kind: 'packed', scale: 2, signed: true, digits: 17 } });
      // 10^17 - 1 cents holds Number.MAX_SAFE_INTEGER, the Postgres ledger's ceiling.
      expect(10n ** 17n - 1n >= BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    }
  });

  it('fit the largest message in the default frame', () => {
    const largest = Math.max(...Object.values(GATEWAY_LAYOUTS).map((layout) => layout.length));
    expect(LENGTH_PREFIX_BYTES + HEADER_LENGTH + largest).toBeLessThanOrEqual(DEFAULT_MAX_FRAME_BYTES);
  });
});

describe('the transactions', () => {
  it('use codes of at most 8 characters, each the name of the copybook holding its records', () => {
    for (const [code, transaction] of Object.entries(TRANSACTIONS)) {
      expect(code.length).toBeLessThanOrEqual(8);
      expect(isTranCode(code)).toBe(true);
      expect([RECORD_COPYBOOKS[transaction.request], RECORD_COPYBOOKS[transaction.response]]).toEqual([code, code]);
    }
    expect(isTranCode('toString')).toBe(false);
    expect(isTranCode('CUSTDEL')).toBe(false);
  });

  it('account for every record but the header, each used once', () => {
    const used = Object.values(TRANSACTIONS).flatMap((transaction) => [transaction.request, transaction.response]);
    expect(new Set(used).size).toBe(used.length);
    expect([...used, 'MESSAGE-HEADER'].sort()).toEqual((Object.keys(GATEWAY_LAYOUTS) as RecordName[]).sort());
  });

  it('mark exactly the transactions that change data as updates', () => {
    const updates = Object.entries(TRANSACTIONS)
      .filter(([, transaction]) => transaction.update)
      .map(([code]) => code);
    expect(updates.sort()).toEqual(['ACCTOPN', 'ACCTSTS', 'CUSTADD', 'TXNPOST']);
  });
});
