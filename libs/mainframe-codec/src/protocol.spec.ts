import fc from 'fast-check';
import {
  decodeRequest,
  decodeResponse,
  encodeFrame,
  encodeHeaderOnlyResponse,
  encodeRequest,
  encodeResponse,
  FrameReader,
  GATEWAY_LAYOUTS,
  gatewayCodec,
  HEADER_LENGTH,
  MessageError,
  ReasonCode,
  ReturnCode,
  TRANSACTIONS,
  type GatewayRequest,
  type TranCode,
} from './index';
import { recordValue } from '../test/support/arbitraries';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();
const codes = Object.keys(TRANSACTIONS) as TranCode[];

function messageErrorOf(run: () => unknown): MessageError {
  try {
    run();
  } catch (error) {
    if (error instanceof MessageError) return error;
    throw error;
  }
  throw new Error('expected a MessageError');
}

const balanceRequest: GatewayRequest<'ACCTBAL'> = { tranCode: 'ACCTBAL', clientId: 'ACCTSAPI', sequenceNo: 7, body: { balAcctId: 42 } };

describe('gateway messages', () => {
  it('encode a request as the header written by hand followed by its body', () => {
    expect(hex(encodeRequest(balanceRequest))).toBe(
      [
        'C1C3C3E3C2C1D340', // MSG-TRAN-CODE 'ACCTBAL '
        'F0F1', // MSG-VERSION 01
        'C1C3C3E3E2C1D7C9', // MSG-CLIENT-ID 'ACCTSAPI'
        'F0F0F0F0F0F0F0F0F7', // MSG-SEQUENCE-NO 000000007
        'F0F0F0C0', // MSG-RETURN-CODE +0000
        'F0F0F0F0', // MSG-REASON-CODE 0000
        'F0F0F0F0F0', // MSG-RETRY-SECONDS 00000
        'F0F0F0F1F0', // MSG-BODY-LENGTH 00010
        '40'.repeat(15), // FILLER
        'F0F0F0F0F0F0F0F0F4F2', // BAL-ACCT-ID 0000000042
      ].join(''),
    );
  });

  it('encode a refusal as the header alone, with its return, reason and retry codes', () => {
    const refusal = encodeResponse({
      tranCode: 'TXNPOST',
      clientId: 'ACCTSAPI',
      sequenceNo: 8,
      returnCode: ReturnCode.REFUSED,
      reasonCode: ReasonCode.BATCH_WINDOW,
      retrySeconds: 3600,
    });
    expect(refusal).toHaveLength(HEADER_LENGTH);
    expect(hex(refusal.subarray(27, 45))).toBe('F0F0F0C8' + 'F0F8F2F1' + 'F0F3F6F0F0' + 'F0F0F0F0F0');
    expect(decodeResponse(refusal, 'TXNPOST')).toEqual({
      tranCode: 'TXNPOST',
      clientId: 'ACCTSAPI',
      sequenceNo: 8,
      returnCode: 8,
      reasonCode: 821,
      retrySeconds: 3600,
    });
  });

  it.each(codes)('%s: requests and responses round-trip through frames, refusals without a body', (code) => {
    const { request, response } = TRANSACTIONS[code];
    fc.assert(
      fc.property(
        recordValue(GATEWAY_LAYOUTS[request]),
        recordValue(GATEWAY_LAYOUTS[response]),
        fc.nat({ max: 999_999_999 }),
        fc.constantFrom(ReturnCode.OK, ReturnCode.WARNING, ReturnCode.REFUSED, ReturnCode.ERROR, ReturnCode.SEVERE),
        (requestBody, responseBody, sequenceNo, returnCode) => {
          const sent = { tranCode: code, clientId: 'CLIENT1', sequenceNo, body: requestBody as never };
          const answer = {
            tranCode: code,
            clientId: 'CLIENT1',
            sequenceNo,
            returnCode,
            reasonCode: returnCode * 100 + 1,
            retrySeconds: returnCode === ReturnCode.REFUSED ? 60 : 0,
            ...(returnCode < ReturnCode.REFUSED ? { body: responseBody as never } : {}),
          };
          const reader = new FrameReader();
          const [requestPayload, responsePayload] = reader.push(
            Buffer.concat([encodeFrame(encodeRequest(sent)), encodeFrame(encodeResponse(answer))]),
          );
          expect(decodeRequest(requestPayload)).toEqual(sent);
          expect(decodeResponse(responsePayload, code)).toEqual(answer);
        },
      ),
      { numRuns: 25 },
    );
  });

  it('refuse a payload shorter than the header', () => {
    expect(messageErrorOf(() => decodeRequest(Buffer.alloc(HEADER_LENGTH - 1)))).toMatchObject({ code: 'HEADER_TOO_SHORT', reasonCode: 1203 });
  });

  it('refuse a header whose fields do not decode, keeping the cause', () => {
    const payload = encodeRequest(balanceRequest);
    payload[20] = 0x40; // a space in MSG-SEQUENCE-NO
    const error = messageErrorOf(() => decodeRequest(payload));
    expect(error).toMatchObject({ code: 'INVALID_HEADER', reasonCode: 1203, header: undefined });
    expect(error.message).toMatch(/MESSAGE-HEADER\.MSG-SEQUENCE-NO/);
    expect(error.cause).toMatchObject({ code: 'NOT_NUMERIC' });
  });

  it('refuse another layout version, an unknown transaction and a body of the wrong length, with the header to answer from', () => {
    const header = gatewayCodec('MESSAGE-HEADER');
    const withHeader = (changes: object) => {
      const payload = encodeRequest(balanceRequest);
      return Buffer.concat([header.encode({ ...header.decode(payload.subarray(0, HEADER_LENGTH)), ...changes }), payload.subarray(HEADER_LENGTH)]);
    };
    expect(messageErrorOf(() => decodeRequest(withHeader({ msgVersion: 2 })))).toMatchObject({
      code: 'UNSUPPORTED_VERSION',
      reasonCode: ReasonCode.UNSUPPORTED_VERSION,
      header: { msgSequenceNo: 7, msgClientId: 'ACCTSAPI' },
    });
    expect(messageErrorOf(() => decodeRequest(withHeader({ msgTranCode: 'CUSTDEL' })))).toMatchObject({
      code: 'UNKNOWN_TRANSACTION',
      reasonCode: ReasonCode.UNKNOWN_TRANSACTION,
      header: { msgTranCode: 'CUSTDEL', msgSequenceNo: 7 },
    });
    expect(messageErrorOf(() => decodeRequest(withHeader({ msgBodyLength: 11 })))).toMatchObject({ code: 'BODY_LENGTH', reasonCode: 1203 });
    expect(messageErrorOf(() => decodeRequest(Buffer.concat([withHeader({ msgBodyLength: 11 }), Buffer.from([0xf0])])))).toMatchObject({
      code: 'BODY_LENGTH',
      message: 'ACCTBAL carries a BALANCE-INQUIRY-REQUEST of 10 bytes, not 11',
    });
  });

  it('refuse a body whose fields do not decode, naming the field', () => {
    const payload = encodeRequest(balanceRequest);
    payload[HEADER_LENGTH + 9] = 0xd2; // a negative sign in the unsigned BAL-ACCT-ID
    const error = messageErrorOf(() => decodeRequest(payload));
    expect(error).toMatchObject({ code: 'INVALID_BODY', reasonCode: 1203, header: { msgTranCode: 'ACCTBAL' } });
    expect(error.message).toMatch(/^BALANCE-INQUIRY-REQUEST\.BAL-ACCT-ID/);
  });

  it('refuse a response to another transaction, a refusal carrying a body and a return code that is not one', () => {
    const ok = encodeResponse({
      tranCode: 'ACCTBAL',
      clientId: 'GATEWAY',
      sequenceNo: 7,
      returnCode: 0,
      reasonCode: 0,
      retrySeconds: 0,
      body: gatewayCodec('BALANCE-INQUIRY-RESPONSE').initial(),
    });
    expect(messageErrorOf(() => decodeResponse(ok, 'TXNPOST'))).toMatchObject({ code: 'UNEXPECTED_TRANSACTION' });
    const header = gatewayCodec('MESSAGE-HEADER');
    const withHeader = (changes: object) =>
      Buffer.concat([header.encode({ ...header.decode(ok.subarray(0, HEADER_LENGTH)), ...changes }), ok.subarray(HEADER_LENGTH)]);
    expect(messageErrorOf(() => decodeResponse(withHeader({ msgReturnCode: 8 })))).toMatchObject({ code: 'BODY_LENGTH' });
    expect(messageErrorOf(() => decodeResponse(withHeader({ msgReturnCode: 7 })))).toMatchObject({ code: 'INVALID_HEADER' });
    expect(messageErrorOf(() => decodeResponse(withHeader({ msgReturnCode: -4 })))).toMatchObject({ code: 'INVALID_HEADER' });
  });

  it('refuse to encode a body with a refusal, or a success without one', () => {
    const base = { tranCode: 'ACCTBAL' as const, clientId: 'GATEWAY', sequenceNo: 1, reasonCode: 0, retrySeconds: 0 };
    const body = gatewayCodec('BALANCE-INQUIRY-RESPONSE').initial();
    expect(() => encodeResponse({ ...base, returnCode: ReturnCode.REFUSED, body })).toThrow(RangeError);
    expect(() => encodeResponse({ ...base, returnCode: ReturnCode.OK })).toThrow(RangeError);
    expect(() => encodeHeaderOnlyResponse({ ...base, returnCode: ReturnCode.WARNING })).toThrow(RangeError);
  });

  it('answer a request for an unknown transaction with the header alone, echoing its code', () => {
    const answer = encodeHeaderOnlyResponse({
      tranCode: 'CUSTDEL',
      clientId: 'ACCTSAPI',
      sequenceNo: 9,
      returnCode: ReturnCode.ERROR,
      reasonCode: ReasonCode.UNKNOWN_TRANSACTION,
      retrySeconds: 0,
    });
    expect(gatewayCodec('MESSAGE-HEADER').decode(answer)).toMatchObject({
      msgTranCode: 'CUSTDEL',
      msgReturnCode: 12,
      msgReasonCode: 1202,
      msgBodyLength: 0,
    });
  });
});
