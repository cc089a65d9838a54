/**
 * The core-banking gateway's records, parsed once from its copybooks (compiled in as text by
 * src/generated/copybook-sources.ts), with a typed codec per record.
 */
import { parseCopybook } from './copybook';
import { COPYBOOK_SOURCES, type CopybookMember } from './generated/copybook-sources';
import type { RecordName, RecordTypes } from './generated/records';
import type { RecordLayout } from './layout';
import { RecordCodec } from './record-codec';

function parseAll(): Record<RecordName, RecordLayout> {
  const layouts = new Map<string, RecordLayout>();
  for (const [member, text] of Object.entries(COPYBOOK_SOURCES) as [CopybookMember, string][]) {
    for (const layout of parseCopybook(text, { source: `copybooks/${member}.cpy` })) layouts.set(layout.name, layout);
  }
  return Object.fromEntries(layouts) as Record<RecordName, RecordLayout>;
}

/** Every record layout of the gateway, by record name (`CUSTOMER-INQUIRY-REQUEST`, …). */
export const GATEWAY_LAYOUTS: Readonly<Record<RecordName, RecordLayout>> = parseAll();

const codecs = new Map<RecordName, RecordCodec<object>>();

/** The codec of one gateway record, typed with the record's generated type. */
export function gatewayCodec<N extends RecordName>(name: N): RecordCodec<RecordTypes[N]> {
  let codec = codecs.get(name);
  if (!codec) {
    const layout = GATEWAY_LAYOUTS[name];
    if (!layout) throw new RangeError(`${name} is not a record of the gateway's copybooks`);
    codec = new RecordCodec<object>(layout);
    codecs.set(name, codec);
  }
  return codec as RecordCodec<RecordTypes[N]>;
}
