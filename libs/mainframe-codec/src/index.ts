/**
 * The core-banking gateway's wire format, read from its COBOL copybooks (see README.md): the
 * copybook parser and record codec for any copybook, the EBCDIC and decimal codecs underneath,
 * TCP framing, and the gateway's own records, transactions, messages and return/reason codes.
 */
export * from './errors';
export * from './ebcdic';
export * from './decimal';
export * from './layout';
export * from './copybook';
export * from './record-codec';
export * from './framing';
export * from './formats';
export * from './return-codes';
export * from './generated/records';
export { COPYBOOK_SOURCES, type CopybookMember } from './generated/copybook-sources';
export * from './gateway-records';
export * from './transactions';
export * from './protocol';
