/**
 * A pino destination that keeps every log line in memory, for tests that assert what is (and is
 * not) logged — above all that SSNs, account numbers and secrets are redacted.
 *
 *   const logs = captureLogs();
 *   const app = Fastify({ logger: { level: 'info', stream: logs.stream } });  // or pino({}, logs.stream)
 *   expect(logs.text()).not.toContain('123-45-6789');
 */
export interface CapturedLogs {
  /** Pass as pino's destination or Fastify's `logger.stream`. */
  stream: { write(chunk: string): void };
  /** Each line as written (pino writes one JSON document per line). */
  lines(): string[];
  /** Everything written, as one string: what a log shipper would receive. */
  text(): string;
  /** Each line parsed as JSON, for asserting on fields. */
  records(): Array<Record<string, unknown>>;
  clear(): void;
}

export function captureLogs(): CapturedLogs {
  let written = '';
  const lines = () => written.split('\n').filter((line) => line.length > 0);
  return {
    stream: {
      write(chunk: string) {
        written += chunk;
      },
    },
    lines,
    text: () => written,
    records: () => lines().map((line) => JSON.parse(line) as Record<string, unknown>),
    clear: () => {
      written = '';
    },
  };
}
