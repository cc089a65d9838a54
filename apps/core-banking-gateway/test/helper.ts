import { randomInt } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import {
  decodeResponse,
  encodeFrame,
  encodeRequest,
  FrameReader,
  gatewayCodec,
  HEADER_LENGTH,
  toCobolDate,
  type GatewayResponse,
  type MessageHeader,
  type RequestOf,
  type ResponseOf,
  type TranCode,
} from '@bartholomew/mainframe-codec';
import { createTestDatabase, type TestDatabase } from '@bartholomew/testing';
import { loadGatewayConfig, startGateway, type RunningGateway, type StartGatewayOptions } from '../src/gateway';

/** A fixed PII key, so a restarted gateway reads what the first one stored. */
export const TEST_PII_KEY = Buffer.alloc(32, 7).toString('base64');

export function testConfig(databaseUrl: string, overrides: Record<string, string> = {}) {
  return loadGatewayConfig({
    PORT: '0',
    GATEWAY_PORT: '0',
    LOG_LEVEL: 'silent',
    DATABASE_URL: databaseUrl,
    DATA_DIR: mkdtempSync(join(tmpdir(), 'core-banking-gateway-')),
    PII_ENCRYPTION_KEY: TEST_PII_KEY,
    SHUTDOWN_GRACE_MS: '2000',
    ...overrides,
  });
}

export interface TestGateway {
  gateway: RunningGateway;
  database: TestDatabase;
  /** Starts another gateway on the same database (a restart, or a second configuration). */
  start(overrides?: Record<string, string>, options?: StartGatewayOptions): Promise<RunningGateway>;
  close(): Promise<void>;
}

/** A gateway on a fresh database of its own; call `close()` in afterAll. */
export async function startTestGateway(overrides: Record<string, string> = {}, options: StartGatewayOptions = {}): Promise<TestGateway> {
  const database = await createTestDatabase();
  const started: RunningGateway[] = [];
  const start = async (more: Record<string, string> = overrides, opts: StartGatewayOptions = options) => {
    const gateway = await startGateway(testConfig(database.url, more), pino({ level: 'silent' }), opts);
    started.push(gateway);
    return gateway;
  };
  try {
    const gateway = await start();
    return {
      gateway,
      database,
      start,
      close: async () => {
        await Promise.all(started.map((g) => g.close()));
        await database.drop();
      },
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
}

/** A test client of the gateway: one TCP connection (session), numbering its requests 1, 2, 3, … */
export class GatewayTestClient {
  private readonly reader = new FrameReader();
  private readonly payloads: Buffer[] = [];
  private waiting: ((payload: Buffer) => void) | undefined;
  private nextSequenceNo = 1;
  readonly closed: Promise<void>;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      for (const payload of this.reader.push(chunk)) {
        if (this.waiting) {
          const resolve = this.waiting;
          this.waiting = undefined;
          resolve(payload);
        } else this.payloads.push(payload);
      }
    });
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
  }

  static connect(port: number): Promise<GatewayTestClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ port, host: '127.0.0.1' }, () => resolve(new GatewayTestClient(socket)));
      socket.once('error', reject);
    });
  }

  /** The next answer's payload; fails after `timeoutMs`. */
  next(timeoutMs = 5_000): Promise<Buffer> {
    const ready = this.payloads.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      this.waiting = (payload) => {
        clearTimeout(timer);
        resolve(payload);
      };
    });
  }

  /** Sends a request with the next sequence number (or `sequenceNo`) and reads its answer. */
  async call<C extends TranCode>(tranCode: C, body: RequestOf<C>, sequenceNo = this.nextSequenceNo): Promise<GatewayResponse<C>> {
    if (sequenceNo === this.nextSequenceNo) this.nextSequenceNo += 1;
    this.socket.write(encodeFrame(encodeRequest({ tranCode, clientId: 'TESTCLNT', sequenceNo, body })));
    return decodeResponse(await this.next(), tranCode);
  }

  /** Sends raw bytes and reads the header of the answer. */
  async raw(bytes: Buffer): Promise<{ header: MessageHeader; length: number }> {
    this.socket.write(bytes);
    const payload = await this.next();
    return { header: gatewayCodec('MESSAGE-HEADER').decode(payload.subarray(0, HEADER_LENGTH)), length: payload.length };
  }

  /** Skips a sequence number the way a client that sent a request the gateway could not read would keep counting. */
  skipSequenceNo(): number {
    return this.nextSequenceNo++;
  }

  end(): Promise<void> {
    this.socket.end();
    return this.closed;
  }
}

/** A nine-digit tax id no other test customer has. */
export const uniqueTaxId = () => randomInt(100_000_000, 1_000_000_000);

export function customerAddRequest(overrides: Partial<RequestOf<'CUSTADD'>> = {}): RequestOf<'CUSTADD'> {
  return {
    custLegalName: 'Ada Lovelace',
    custBirthDate: toCobolDate('1990-04-01'),
    custTaxId: uniqueTaxId(),
    custEmail: 'ada@example.com',
    custPhone: '+12125550123',
    custAddress: { custAddrLine1: '1 Main Street', custAddrLine2: '', custCity: 'New York', custState: 'NY', custPostalCode: '10001' },
    ...overrides,
  };
}

export async function addCustomer(client: GatewayTestClient, overrides: Partial<RequestOf<'CUSTADD'>> = {}) {
  const answer = await client.call('CUSTADD', customerAddRequest(overrides));
  if (answer.returnCode !== 0 || !answer.body) throw new Error(`CUSTADD answered ${answer.returnCode}/${answer.reasonCode}`);
  return answer.body;
}

export async function openAccount(client: GatewayTestClient, custId: number, product = 'CHK', currency = 'USD') {
  const answer = await client.call('ACCTOPN', { acctCustId: custId, acctProduct: product, acctCurrency: currency });
  if (answer.returnCode !== 0 || !answer.body) throw new Error(`ACCTOPN answered ${answer.returnCode}/${answer.reasonCode}`);
  return answer.body;
}

export async function post(client: GatewayTestClient, acctId: number, direction: 'C' | 'D', amount: bigint, currency = 'USD') {
  return client.call('TXNPOST', {
    txnAcctId: acctId,
    txnDirection: direction,
    txnAmount: amount,
    txnCurrency: currency,
    txnDescription: `${direction === 'C' ? 'credit' : 'debit'} of ${amount}`,
    txnReference: '',
  });
}

/** The response record of an answer that must have one (RC 0 or 4). */
export function bodyOf<C extends TranCode>(answer: GatewayResponse<C>): ResponseOf<C> {
  if (answer.body === undefined) throw new Error(`${answer.tranCode} answered ${answer.returnCode}/${answer.reasonCode} without a body`);
  return answer.body;
}

export const TIMESTAMP = /^\d{4}-\d{2}-\d{2}-\d{2}\.\d{2}\.\d{2}\.\d{6}$/;
