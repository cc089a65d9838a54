/**
 * Messages of the core-banking gateway: MESSAGE-HEADER followed by the body record of the
 * transaction in MSG-TRAN-CODE. These functions build and read the frame *payload*; put it in a
 * frame with `encodeFrame` and read frames with `FrameReader`.
 *
 * The rules both sides keep (and `decode*` checks):
 * - MSG-VERSION is `PROTOCOL_VERSION`;
 * - a request always carries its body; a response carries its body when the return code is 0 or 4
 *   and none from 8 up (a refusal or an error has nothing to show);
 * - MSG-BODY-LENGTH is the length of the body that follows: the record length of the body layout, or 0.
 * Sequence numbers are checked by the gateway (reason 1201), not here: they belong to a session.
 */
import { CodecError } from './errors';
import type { MessageHeader } from './generated/records';
import { gatewayCodec, GATEWAY_LAYOUTS } from './gateway-records';
import { ReasonCode, ReturnCode } from './return-codes';
import { isTranCode, TRANSACTIONS, type RequestOf, type ResponseOf, type TranCode } from './transactions';

const RETURN_CODES = new Set<number>(Object.values(ReturnCode));

/** The layout version of the header and bodies this library speaks. */
export const PROTOCOL_VERSION = 1;

const header = gatewayCodec('MESSAGE-HEADER');

/** Bytes of MESSAGE-HEADER. */
export const HEADER_LENGTH = header.length;

export interface GatewayRequest<C extends TranCode = TranCode> {
  tranCode: C;
  /** The client's sign-on id (8 characters at most). */
  clientId: string;
  sequenceNo: number;
  body: RequestOf<C>;
}

/** A request of any transaction, told apart by `tranCode`. */
export type AnyGatewayRequest = { [C in TranCode]: GatewayRequest<C> }[TranCode];

export interface GatewayResponse<C extends TranCode = TranCode> {
  tranCode: C;
  clientId: string;
  /** The request's sequence number; on SEQUENCE_MISMATCH the one the gateway expected. */
  sequenceNo: number;
  returnCode: ReturnCode;
  /** One of `ReasonCode` from this gateway; kept a number so a reason added later still reads. */
  reasonCode: number;
  /** Seconds until a retry can succeed (batch window, session limit); 0 otherwise. */
  retrySeconds: number;
  /** Present exactly when the return code is below 8. */
  body?: ResponseOf<C>;
}

/** A response of any transaction, told apart by `tranCode`. */
export type AnyGatewayResponse = { [C in TranCode]: GatewayResponse<C> }[TranCode];

/** A header-only answer, for a request that could not be read (its transaction code may be none of ours). */
export interface HeaderOnlyResponse {
  tranCode: string;
  clientId: string;
  sequenceNo: number;
  returnCode: ReturnCode;
  reasonCode: number;
  retrySeconds: number;
}

export const MessageErrorCode = {
  /** The payload is shorter than MESSAGE-HEADER. */
  HEADER_TOO_SHORT: 'HEADER_TOO_SHORT',
  /** A header field does not decode (a non-numeric sequence number, …). */
  INVALID_HEADER: 'INVALID_HEADER',
  UNSUPPORTED_VERSION: 'UNSUPPORTED_VERSION',
  UNKNOWN_TRANSACTION: 'UNKNOWN_TRANSACTION',
  /** MSG-BODY-LENGTH does not match the bytes that follow, or the transaction's record. */
  BODY_LENGTH: 'BODY_LENGTH',
  /** A body field does not decode. */
  INVALID_BODY: 'INVALID_BODY',
  /** A response of another transaction than the one asked for. */
  UNEXPECTED_TRANSACTION: 'UNEXPECTED_TRANSACTION',
} as const;
export type MessageErrorCode = (typeof MessageErrorCode)[keyof typeof MessageErrorCode];

const REASON_OF_ERROR: Record<MessageErrorCode, ReasonCode> = {
  HEADER_TOO_SHORT: ReasonCode.INVALID_RECORD,
  INVALID_HEADER: ReasonCode.INVALID_RECORD,
  UNSUPPORTED_VERSION: ReasonCode.UNSUPPORTED_VERSION,
  UNKNOWN_TRANSACTION: ReasonCode.UNKNOWN_TRANSACTION,
  BODY_LENGTH: ReasonCode.INVALID_RECORD,
  INVALID_BODY: ReasonCode.INVALID_RECORD,
  UNEXPECTED_TRANSACTION: ReasonCode.INVALID_RECORD,
};

/** A payload that is not a valid gateway message. */
export class MessageError extends Error {
  override readonly name = 'MessageError';
  /** The reason code a gateway answers this request with (always with return code 12). */
  readonly reasonCode: ReasonCode;

  constructor(
    readonly code: MessageErrorCode,
    problem: string,
    /** The header, when it could be read: a gateway echoes its transaction code, client and sequence number. */
    readonly header?: MessageHeader,
    options?: { cause: unknown },
  ) {
    super(problem, options);
    this.reasonCode = REASON_OF_ERROR[code];
  }
}

function headerOf(fields: Omit<MessageHeader, 'msgVersion'>): Buffer {
  return header.encode({ ...fields, msgVersion: PROTOCOL_VERSION });
}

export function encodeRequest<C extends TranCode>(request: GatewayRequest<C>): Buffer {
  const body = gatewayCodec(TRANSACTIONS[request.tranCode].request).encode(request.body as never);
  const head = headerOf({
    msgTranCode: request.tranCode,
    msgClientId: request.clientId,
    msgSequenceNo: request.sequenceNo,
    msgReturnCode: 0,
    msgReasonCode: 0,
    msgRetrySeconds: 0,
    msgBodyLength: body.length,
  });
  return Buffer.concat([head, body]);
}

export function encodeResponse<C extends TranCode>(response: GatewayResponse<C>): Buffer {
  const hasBody = response.returnCode < ReturnCode.REFUSED;
  if (hasBody !== (response.body !== undefined)) {
    throw new RangeError(`a response with return code ${response.returnCode} ${hasBody ? 'carries' : 'carries no'} body`);
  }
  const body = response.body === undefined ? Buffer.alloc(0) : gatewayCodec(TRANSACTIONS[response.tranCode].response).encode(response.body as never);
  return Buffer.concat([headerOfResponse(response, body.length), body]);
}

/** The header alone, for answering a request that could not be read (return code 8 and up). */
export function encodeHeaderOnlyResponse(response: HeaderOnlyResponse): Buffer {
  if (response.returnCode < ReturnCode.REFUSED) throw new RangeError(`a response with return code ${response.returnCode} carries a body`);
  return headerOfResponse(response, 0);
}

function headerOfResponse(response: HeaderOnlyResponse, bodyLength: number): Buffer {
  return headerOf({
    msgTranCode: response.tranCode,
    msgClientId: response.clientId,
    msgSequenceNo: response.sequenceNo,
    msgReturnCode: response.returnCode,
    msgReasonCode: response.reasonCode,
    msgRetrySeconds: response.retrySeconds,
    msgBodyLength: bodyLength,
  });
}

/** Reads the header and checks version, transaction code and body length against the payload. */
function readHeader(payload: Uint8Array): { head: MessageHeader; tranCode: TranCode; body: Uint8Array } {
  if (payload.length < HEADER_LENGTH) {
    throw new MessageError(MessageErrorCode.HEADER_TOO_SHORT, `a message is at least ${HEADER_LENGTH} bytes, not ${payload.length}`);
  }
  let head: MessageHeader;
  try {
    head = header.decode(payload.subarray(0, HEADER_LENGTH));
  } catch (error) {
    if (!(error instanceof CodecError)) throw error;
    throw new MessageError(MessageErrorCode.INVALID_HEADER, error.message, undefined, { cause: error });
  }
  if (head.msgVersion !== PROTOCOL_VERSION) {
    throw new MessageError(MessageErrorCode.UNSUPPORTED_VERSION, `layout version ${head.msgVersion} is not ${PROTOCOL_VERSION}`, head);
  }
  if (!isTranCode(head.msgTranCode)) throw new MessageError(MessageErrorCode.UNKNOWN_TRANSACTION, 'not a transaction code of the gateway', head);
  const body = payload.subarray(HEADER_LENGTH);
  if (head.msgBodyLength !== body.length) {
    throw new MessageError(MessageErrorCode.BODY_LENGTH, `MSG-BODY-LENGTH says ${head.msgBodyLength} bytes, ${body.length} follow`, head);
  }
  return { head, tranCode: head.msgTranCode, body };
}

function decodeBody<N extends keyof typeof GATEWAY_LAYOUTS>(record: N, body: Uint8Array, head: MessageHeader) {
  const codec = gatewayCodec(record);
  if (body.length !== codec.length) {
    throw new MessageError(
      MessageErrorCode.BODY_LENGTH,
      `${head.msgTranCode.trim()} carries a ${record} of ${codec.length} bytes, not ${body.length}`,
      head,
    );
  }
  try {
    return codec.decode(body);
  } catch (error) {
    if (!(error instanceof CodecError)) throw error;
    throw new MessageError(MessageErrorCode.INVALID_BODY, error.message, head, { cause: error });
  }
}

/** The request in a frame payload; a `MessageError` (with the reason code to answer) when it is not a valid one. */
export function decodeRequest(payload: Uint8Array): AnyGatewayRequest {
  const { head, tranCode, body } = readHeader(payload);
  return {
    tranCode,
    clientId: head.msgClientId,
    sequenceNo: head.msgSequenceNo,
    body: decodeBody(TRANSACTIONS[tranCode].request, body, head),
  } as AnyGatewayRequest;
}

/** The response in a frame payload; with `expected`, also checks it answers that transaction. */
export function decodeResponse(payload: Uint8Array): AnyGatewayResponse;
export function decodeResponse<C extends TranCode>(payload: Uint8Array, expected: C): GatewayResponse<C>;
export function decodeResponse(payload: Uint8Array, expected?: TranCode): AnyGatewayResponse {
  const { head, tranCode, body } = readHeader(payload);
  if (expected !== undefined && tranCode !== expected) {
    throw new MessageError(MessageErrorCode.UNEXPECTED_TRANSACTION, `a ${tranCode} response to a ${expected} request`, head);
  }
  const returnCode = head.msgReturnCode;
  if (!RETURN_CODES.has(returnCode)) throw new MessageError(MessageErrorCode.INVALID_HEADER, `${returnCode} is not a return code`, head);
  const hasBody = returnCode < ReturnCode.REFUSED;
  if (!hasBody && body.length > 0) {
    throw new MessageError(MessageErrorCode.BODY_LENGTH, `a response with return code ${returnCode} carries no body`, head);
  }
  return {
    tranCode,
    clientId: head.msgClientId,
    sequenceNo: head.msgSequenceNo,
    returnCode,
    reasonCode: head.msgReasonCode,
    retrySeconds: head.msgRetrySeconds,
    ...(hasBody ? { body: decodeBody(TRANSACTIONS[tranCode].response, body, head) } : {}),
  } as AnyGatewayResponse;
}
