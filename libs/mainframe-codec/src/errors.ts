/**
 * The errors of this library, one class per stage: reading a copybook, encoding or decoding a
 * field, reading frames off a socket, and reading a gateway message. Messages name the field and
 * the rule, never the value: records carry SSNs and account numbers, and errors end up in logs.
 */

/** What went wrong with a value; stable, for callers that act on a specific failure. */
export const CodecErrorCode = {
  /** A text holds a character code page 037 has no byte for. */
  UNMAPPABLE_CHARACTER: 'UNMAPPABLE_CHARACTER',
  /** A text is longer than its field, or a number has more digits than its picture. */
  OVERFLOW: 'OVERFLOW',
  /** Bytes that are not decimal digits, or a value that is not an integer. */
  NOT_NUMERIC: 'NOT_NUMERIC',
  /** A sign nibble that is not C, D or F; or a negative value for an unsigned field. */
  INVALID_SIGN: 'INVALID_SIGN',
  /** A value of the wrong JavaScript type for its field (a number for a PIC X, an object for a list, …). */
  WRONG_TYPE: 'WRONG_TYPE',
  /** A field of the layout that the value does not have. */
  MISSING_FIELD: 'MISSING_FIELD',
  /** A property of the value that the layout does not have. */
  UNKNOWN_FIELD: 'UNKNOWN_FIELD',
  /** More rows than the OCCURS clause allows. */
  TOO_MANY_OCCURRENCES: 'TOO_MANY_OCCURRENCES',
  /** A buffer whose length is not the record length. */
  RECORD_LENGTH: 'RECORD_LENGTH',
  /** A date or timestamp field that is not a real one in the agreed format. */
  INVALID_DATE: 'INVALID_DATE',
} as const;
export type CodecErrorCode = (typeof CodecErrorCode)[keyof typeof CodecErrorCode];

/** A value that cannot be encoded, or bytes that cannot be decoded. */
export class CodecError extends Error {
  override readonly name = 'CodecError';

  constructor(
    readonly code: CodecErrorCode,
    /** The field as the copybook names it (`ACCOUNT-INQUIRY-RESPONSE.ACCT-ROW(3).ACCT-ID`), when the error belongs to one. */
    readonly field: string | undefined,
    /** What is wrong, without the field. */
    readonly problem: string,
    /** The same field as a property path of the record object (`acctRow[2].acctId`), when known. */
    readonly property?: string,
  ) {
    super(field === undefined ? problem : `${field}${property === undefined ? '' : ` (${property})`}: ${problem}`);
  }
}

/** A copybook this library cannot read: a syntax error or a clause it does not support. */
export class CopybookError extends Error {
  override readonly name = 'CopybookError';

  constructor(
    /** 1-based line of the copybook text. */
    readonly line: number,
    problem: string,
    /** The copybook's name or file, when the caller gave one. */
    readonly source?: string,
  ) {
    super(`${source ?? 'copybook'} line ${line}: ${problem}`);
  }
}

export const FrameErrorCode = {
  /** The length prefix announces more than the agreed maximum frame size. */
  FRAME_TOO_LARGE: 'FRAME_TOO_LARGE',
  /** The length prefix is smaller than a frame holding one byte of payload. */
  FRAME_TOO_SHORT: 'FRAME_TOO_SHORT',
  /** The stream ended in the middle of a frame. */
  TRUNCATED_FRAME: 'TRUNCATED_FRAME',
  /** The reader was used after a framing error: the stream is out of step and must be closed. */
  READER_FAILED: 'READER_FAILED',
} as const;
export type FrameErrorCode = (typeof FrameErrorCode)[keyof typeof FrameErrorCode];

/** The byte stream does not hold well-formed frames; the connection cannot be trusted any more. */
export class FrameError extends Error {
  override readonly name = 'FrameError';
  /**
   * Whole frames that arrived in the same chunk before the one that broke framing: requests the
   * client sent correctly, which still deserve their answers before the connection is closed.
   */
  completedFrames: Buffer[] = [];

  constructor(
    readonly code: FrameErrorCode,
    problem: string,
  ) {
    super(problem);
  }
}
