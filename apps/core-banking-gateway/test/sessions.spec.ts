import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { encodeFrame, encodeRequest, gatewayCodec, ReasonCode, type MessageHeader } from '@bartholomew/mainframe-codec';
import type { RunningGateway } from '../src/gateway';
import { addCustomer, bodyOf, customerAddRequest, GatewayTestClient, openAccount, post, startTestGateway, type TestGateway } from './helper';

const header = gatewayCodec('MESSAGE-HEADER');
const headerBytes = (fields: Partial<MessageHeader>) =>
  header.encode({
    msgTranCode: 'ACCTBAL',
    msgVersion: 1,
    msgClientId: 'TESTCLNT',
    msgSequenceNo: 1,
    msgReturnCode: 0,
    msgReasonCode: 0,
    msgRetrySeconds: 0,
    msgBodyLength: 10,
    ...fields,
  });
const balanceBody = (acctId: number) => gatewayCodec('BALANCE-INQUIRY-REQUEST').encode({ balAcctId: acctId });

/** HH:MM of `now` shifted by `minutes`, on the 24-hour clock in UTC. */
const clock = (now: Date, minutes: number) => {
  const at = new Date(now.getTime() + minutes * 60_000);
  return `${String(at.getUTCHours()).padStart(2, '0')}:${String(at.getUTCMinutes()).padStart(2, '0')}`;
};

describe('sessions of the gateway', () => {
  let gw: TestGateway;
  const clients: GatewayTestClient[] = [];
  const connect = async (gateway: RunningGateway = gw.gateway) => {
    const client = await GatewayTestClient.connect(gateway.port);
    clients.push(client);
    return client;
  };
  beforeAll(async () => {
    gw = await startTestGateway();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.end()));
  });
  afterAll(async () => {
    await gw?.close();
  });

  describe('sequence numbers', () => {
    it('answers a number other than the next one with RC 12, 1201 and the expected number, without running it', async () => {
      const client = await connect();
      const taxId = customerAddRequest().custTaxId;

      const skipped = await client.call('CUSTADD', customerAddRequest({ custTaxId: taxId }), 2);
      expect(skipped).toMatchObject({ returnCode: 12, reasonCode: ReasonCode.SEQUENCE_MISMATCH, sequenceNo: 1 });
      expect(skipped.body).toBeUndefined();
      expect(await client.call('CUSTINQ', { inqSearchBy: 'T', inqCustId: 0, inqTaxId: taxId })).toMatchObject({
        sequenceNo: 1,
        returnCode: 8,
        reasonCode: 801,
      });

      expect(await client.call('CUSTINQ', { inqSearchBy: 'C', inqCustId: 1, inqTaxId: 0 }, 2)).toMatchObject({ sequenceNo: 2, returnCode: 8 });
      expect(await client.call('CUSTINQ', { inqSearchBy: 'C', inqCustId: 1, inqTaxId: 0 }, 2)).toMatchObject({
        sequenceNo: 3,
        returnCode: 12,
        reasonCode: 1201,
      });
      expect(await client.call('CUSTINQ', { inqSearchBy: 'C', inqCustId: 1, inqTaxId: 0 }, 3)).toMatchObject({
        sequenceNo: 3,
        returnCode: 8,
        reasonCode: 801,
      });
    });

    it('counts each session on its own, from 1', async () => {
      const first = await connect();
      const second = await connect();
      expect((await first.call('ACCTBAL', { balAcctId: 1 })).sequenceNo).toBe(1);
      expect((await first.call('ACCTBAL', { balAcctId: 1 })).sequenceNo).toBe(2);
      expect(await second.call('ACCTBAL', { balAcctId: 1 })).toMatchObject({ sequenceNo: 1, reasonCode: ReasonCode.ACCOUNT_NOT_FOUND });
    });

    it('answers many requests sent back to back, each once and in order', async () => {
      const client = await connect();
      const numbers = Array.from({ length: 100 }, (_, i) => i + 1);
      const frames = numbers.map((sequenceNo) =>
        encodeFrame(encodeRequest({ tranCode: 'ACCTBAL', clientId: 'TESTCLNT', sequenceNo, body: { balAcctId: 1 } })),
      );
      client.socket.write(Buffer.concat(frames));
      const answers = [];
      for (let i = 0; i < numbers.length; i += 1) answers.push(header.decode((await client.next()).subarray(0, 60)));
      expect(answers.map((a) => [a.msgSequenceNo, a.msgReasonCode])).toEqual(numbers.map((n) => [n, 802]));
    });
  });

  describe('what a client may get wrong is answered, never a crash', () => {
    it('answers an unknown transaction code 1202, a wrong version 1206, a wrong body length or a body that does not decode 1203, echoing the header', async () => {
      const client = await connect();
      const unknown = await client.raw(encodeFrame(Buffer.concat([headerBytes({ msgTranCode: 'DELETEAL', msgSequenceNo: 1 }), balanceBody(1)])));
      expect(unknown.header).toMatchObject({
        msgTranCode: 'DELETEAL',
        msgSequenceNo: 1,
        msgReturnCode: 12,
        msgReasonCode: ReasonCode.UNKNOWN_TRANSACTION,
        msgBodyLength: 0,
      });
      expect(unknown.length).toBe(60);

      const version = await client.raw(encodeFrame(Buffer.concat([headerBytes({ msgVersion: 2, msgSequenceNo: 2 }), balanceBody(1)])));
      expect(version.header).toMatchObject({ msgSequenceNo: 2, msgReturnCode: 12, msgReasonCode: ReasonCode.UNSUPPORTED_VERSION });

      const short = await client.raw(encodeFrame(Buffer.concat([headerBytes({ msgSequenceNo: 3, msgBodyLength: 4 }), Buffer.alloc(4, 0xf1)])));
      expect(short.header).toMatchObject({ msgTranCode: 'ACCTBAL', msgSequenceNo: 3, msgReturnCode: 12, msgReasonCode: ReasonCode.INVALID_RECORD });

      const notDigits = await client.raw(encodeFrame(Buffer.concat([headerBytes({ msgSequenceNo: 4 }), Buffer.alloc(10, 0x40)])));
      expect(notDigits.header).toMatchObject({ msgSequenceNo: 4, msgReturnCode: 12, msgReasonCode: ReasonCode.INVALID_RECORD });

      // A request the gateway could not read still used its number: the next one is 5.
      expect(await client.call('ACCTBAL', { balAcctId: 1 }, 5)).toMatchObject({ sequenceNo: 5, returnCode: 8, reasonCode: 802 });
    });

    it('answers a header that does not decode with 1203 and sequence number 0, and keeps counting where it was', async () => {
      const client = await connect();
      const garbage = Buffer.concat([headerBytes({}), balanceBody(1)]);
      garbage.fill(0xc1, 18, 27); // MSG-SEQUENCE-NO: letters
      const answer = await client.raw(encodeFrame(garbage));
      expect(answer.header).toMatchObject({ msgSequenceNo: 0, msgReturnCode: 12, msgReasonCode: ReasonCode.INVALID_RECORD });
      const tooShort = await client.raw(encodeFrame(Buffer.from([1, 2, 3])));
      expect(tooShort.header).toMatchObject({ msgReturnCode: 12, msgReasonCode: ReasonCode.INVALID_RECORD });
      expect((await client.call('ACCTBAL', { balAcctId: 1 }, 1)).sequenceNo).toBe(1);
    });

    it('answers each of many random payloads with RC 12 and goes on serving the session', async () => {
      const client = await connect();
      for (let i = 0; i < 200; i += 1) {
        const payload =
          i % 2 === 0 ? randomBytes(1 + (i % 300)) : Buffer.concat([headerBytes({ msgSequenceNo: 999 }).subarray(0, 8), randomBytes(52 + i)]);
        const answer = await client.raw(encodeFrame(payload));
        expect(answer.header.msgReturnCode).toBe(12);
      }
      expect((await client.call('ACCTBAL', { balAcctId: 1 }, 1)).reasonCode).toBe(802);
    });

    it('answers a frame length that breaks framing with 1203 and closes only that connection', async () => {
      const client = await connect();
      const tooLarge = Buffer.alloc(4);
      tooLarge.writeUInt32BE(0x7fffffff);
      const answer = await client.raw(tooLarge);
      expect(answer.header).toMatchObject({ msgReturnCode: 12, msgReasonCode: ReasonCode.INVALID_RECORD });
      await client.closed;

      const other = await connect();
      expect((await other.call('ACCTBAL', { balAcctId: 1 })).reasonCode).toBe(802);
    });
    it('answers the requests read before a broken frame length first, then the 1203, then closes', async () => {
      const slow = await gw.start({ GATEWAY_SLOW_ANSWER_MS: '500', GATEWAY_SLOW_ANSWER_BUSY_SESSIONS: '0' });
      const client = await connect(slow);
      client.socket.write(encodeFrame(encodeRequest({ tranCode: 'ACCTBAL', clientId: 'TESTCLNT', sequenceNo: 1, body: { balAcctId: 1 } })));
      await new Promise((resolve) => setTimeout(resolve, 100)); // still being answered (slowly) when the bad length arrives
      client.socket.write(Buffer.from([0, 0, 0, 2]));
      const first = header.decode((await client.next()).subarray(0, 60));
      const second = header.decode((await client.next()).subarray(0, 60));
      expect([first.msgSequenceNo, first.msgReasonCode]).toEqual([1, ReasonCode.ACCOUNT_NOT_FOUND]);
      expect([second.msgSequenceNo, second.msgReturnCode, second.msgReasonCode]).toEqual([0, 12, ReasonCode.INVALID_RECORD]);
      await client.closed;
      await slow.close();
    });
  });

  it('answers a request that came whole in the same chunk as a broken frame length, then the 1203', async () => {
    const client = await connect();
    const good = encodeFrame(encodeRequest({ tranCode: 'ACCTBAL', clientId: 'TESTCLNT', sequenceNo: 1, body: { balAcctId: 1 } }));
    client.socket.write(Buffer.concat([good, Buffer.from([0, 0, 0, 2])]));
    const first = header.decode((await client.next()).subarray(0, 60));
    const second = header.decode((await client.next()).subarray(0, 60));
    expect([first.msgSequenceNo, first.msgReasonCode]).toEqual([1, ReasonCode.ACCOUNT_NOT_FOUND]);
    expect([second.msgSequenceNo, second.msgReturnCode, second.msgReasonCode]).toEqual([0, 12, ReasonCode.INVALID_RECORD]);
    await client.closed;
  });

  describe('the session limit', () => {
    it('answers the first request of a connection beyond GATEWAY_MAX_SESSIONS with RC 8, 0822 and closes it; a freed session can be taken again', async () => {
      const limited = await gw.start({ GATEWAY_MAX_SESSIONS: '2', GATEWAY_SESSION_RETRY_SECONDS: '7' });
      const first = await connect(limited);
      const second = await connect(limited);
      expect((await first.call('ACCTBAL', { balAcctId: 1 })).reasonCode).toBe(802);
      expect((await second.call('ACCTBAL', { balAcctId: 1 })).reasonCode).toBe(802);

      const third = await connect(limited);
      const refused = await third.call('ACCTBAL', { balAcctId: 1 });
      expect(refused).toMatchObject({ returnCode: 8, reasonCode: ReasonCode.SESSION_LIMIT, retrySeconds: 7, sequenceNo: 1 });
      await third.closed;
      expect(limited.server.sessionCount).toBe(2);

      await first.end();
      await waitFor(() => limited.server.sessionCount === 1);
      const fourth = await connect(limited);
      expect(await fourth.call('ACCTBAL', { balAcctId: 1 })).toMatchObject({ returnCode: 8, reasonCode: 802 });
      await limited.close();
    });
  });

  describe('the batch window', () => {
    it('refuses every update inside the window with RC 8, 0821 and the seconds until it closes; inquiries still run', async () => {
      const setUp = await connect();
      const customer = await addCustomer(setUp);
      const account = await openAccount(setUp, customer.custId);
      const now = new Date();
      const windowed = await gw.start({ GATEWAY_BATCH_WINDOW: `${clock(now, -60)}-${clock(now, 60)}` });
      const client = await connect(windowed);

      const refusals = [
        await client.call('CUSTADD', customerAddRequest()),
        await client.call('ACCTOPN', { acctCustId: customer.custId, acctProduct: 'CHK', acctCurrency: 'USD' }),
        await client.call('ACCTSTS', { acctId: account.acctId, acctNewStatus: 'F', stsReason: 'fraud check', stsChangedBy: 'ops' }),
        await post(client, account.acctId, 'C', 100n),
      ];
      for (const refusal of refusals) {
        expect(refusal).toMatchObject({ returnCode: 8, reasonCode: ReasonCode.BATCH_WINDOW });
        // The window closes in about an hour (its end is rounded down to the minute).
        expect(refusal.retrySeconds).toBeGreaterThan(3_500);
        expect(refusal.retrySeconds).toBeLessThanOrEqual(3_600);
      }
      expect(refusals.map((r) => r.sequenceNo)).toEqual([1, 2, 3, 4]);

      expect((await client.call('CUSTINQ', { inqSearchBy: 'C', inqCustId: customer.custId, inqTaxId: 0 })).body?.custId).toBe(customer.custId);
      expect((await client.call('ACCTBAL', { balAcctId: account.acctId })).body).toMatchObject({ balLedger: 0n });
      const unchanged = await client.call('ACCTINQ', { inqSearchBy: 'C', inqAcctId: 0, inqCustId: customer.custId, inqContinueKey: 0 });
      expect(unchanged.body?.acctRowCount).toBe(1);
      expect(unchanged.body?.acctRow[0].acctStatus).toBe('A');
      await windowed.close();
    });

    it('runs updates outside the window', async () => {
      const now = new Date();
      const windowed = await gw.start({ GATEWAY_BATCH_WINDOW: `${clock(now, 60)}-${clock(now, 120)}` });
      const client = await connect(windowed);
      expect((await client.call('CUSTADD', customerAddRequest())).returnCode).toBe(0);
      await windowed.close();
    });
  });

  describe('slow answers under load', () => {
    const timed = async (client: GatewayTestClient) => {
      const started = Date.now();
      await client.call('ACCTBAL', { balAcctId: 1 });
      return Date.now() - started;
    };

    it('delays an answer by GATEWAY_SLOW_ANSWER_MS while more than GATEWAY_SLOW_ANSWER_BUSY_SESSIONS sessions are busy', async () => {
      const slow = await gw.start({ GATEWAY_SLOW_ANSWER_MS: '1000', GATEWAY_SLOW_ANSWER_BUSY_SESSIONS: '0' });
      const client = await connect(slow);
      expect(await timed(client)).toBeGreaterThanOrEqual(1_000);
      await slow.close();
    });

    it('answers at once while no more than GATEWAY_SLOW_ANSWER_BUSY_SESSIONS sessions are busy', async () => {
      const slow = await gw.start({ GATEWAY_SLOW_ANSWER_MS: '5000', GATEWAY_SLOW_ANSWER_BUSY_SESSIONS: '1' });
      const client = await connect(slow);
      // One session, one request at a time: never above the threshold.
      for (let i = 0; i < 3; i += 1) expect(await timed(client)).toBeLessThan(5_000);
      await slow.close();
    });
  });

  describe('durability and shutdown', () => {
    it('keeps customers, accounts, balances and postings across a restart, and numbers on from where it was', async () => {
      const first = await gw.start();
      const before = await connect(first);
      const customer = await addCustomer(before);
      const account = await openAccount(before, customer.custId);
      const posting = bodyOf(await post(before, account.acctId, 'C', 2_500n));
      await first.close();
      await before.closed;

      const restarted = await gw.start();
      const after = await connect(restarted);
      expect((await after.call('CUSTINQ', { inqSearchBy: 'T', inqCustId: 0, inqTaxId: customer.custTaxId })).body).toEqual(customer);
      expect(
        (await after.call('ACCTINQ', { inqSearchBy: 'A', inqAcctId: account.acctId, inqCustId: 0, inqContinueKey: 0 })).body?.acctRow[0],
      ).toEqual(account);
      expect((await after.call('ACCTBAL', { balAcctId: account.acctId })).body).toMatchObject({ balLedger: 2_500n, balAvailable: 2_500n });
      const history = await after.call('TXNHIST', {
        histAcctId: account.acctId,
        histFromDate: 0,
        histToDate: 0,
        histMaxRows: 20,
        histContinueKey: 0,
      });
      expect(history.body?.histRow[0]).toMatchObject({ histTxnId: posting.txnId, histAmount: 2_500n, histPostedTs: posting.txnPostedTs });
      expect(bodyOf(await post(after, account.acctId, 'D', 500n)).txnId).toBeGreaterThan(posting.txnId);
      await restarted.close();
    });

    it('stores tax ids and account numbers encrypted, never in the clear', async () => {
      const client = await connect();
      const customer = await addCustomer(client);
      const account = await openAccount(client, customer.custId);
      const { rows } = await gw.gateway.db.query(
        `SELECT c::text AS customer, a::text AS account FROM customers c JOIN accounts a USING (cust_id) WHERE a.acct_id = $1`,
        [account.acctId],
      );
      expect(rows[0].customer).not.toContain(String(customer.custTaxId));
      expect(rows[0].account).not.toContain(String(account.acctNumber));
    });

    it('on close answers the requests it already read, then refuses new connections', async () => {
      const closing = await gw.start({ GATEWAY_SLOW_ANSWER_MS: '300', GATEWAY_SLOW_ANSWER_BUSY_SESSIONS: '0' });
      const client = await connect(closing);
      const answer = client.call('ACCTBAL', { balAcctId: 1 });
      await waitFor(() => false, 50).catch(() => undefined); // let the request arrive
      await closing.close();
      expect((await answer).reasonCode).toBe(802);
      await client.closed;
      await expect(
        new Promise((resolve, reject) => {
          const socket = net.connect({ port: closing.port, host: '127.0.0.1' }, () => resolve(socket.destroy()));
          socket.once('error', reject);
        }),
      ).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    });
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
