/**
 * `npm start` in a terminal: each service's pino JSON lines turned into one readable line each —
 * `12:04:05.123 INFO  account-system-api  request completed  GET /v1/accounts/… → 200 in 3.1 ms`.
 * Elsewhere (piped, CI, containers) the launcher passes the JSON through untouched, for collectors.
 */

const LEVELS = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** Fields already shown in the line's fixed part, or pino's own. */
const SHOWN = new Set(['level', 'time', 'pid', 'hostname', 'msg', 'req', 'res', 'responseTime', 'reqId', 'err']);

const clock = (time) => new Date(time).toISOString().slice(11, 23);

function details(record) {
  const parts = [];
  if (record.req?.method) {
    const status = record.res?.statusCode === undefined ? '' : ` → ${record.res.statusCode}`;
    const took = record.responseTime === undefined ? '' : ` in ${record.responseTime} ms`;
    parts.push(`${record.req.method} ${record.req.url}${status}${took}`);
  }
  if (record.err?.message) parts.push(`error: ${record.err.message}`);
  for (const [key, value] of Object.entries(record)) {
    if (SHOWN.has(key) || value === undefined) continue;
    parts.push(`${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  }
  if (record.reqId) parts.push(`(request ${record.reqId})`);
  return parts.join('  ');
}

/** One service log line as a person reads it; a line that is not pino JSON is returned as it is. */
export function readableLogLine(service, line) {
  let record;
  try {
    record = JSON.parse(line);
  } catch {
    return `${service}  ${line}`;
  }
  if (typeof record !== 'object' || record === null || typeof record.level !== 'number') return `${service}  ${line}`;
  const level = (LEVELS[record.level] ?? String(record.level)).padEnd(5);
  const rest = details(record);
  return `${clock(record.time ?? Date.now())} ${level} ${service.padEnd(22)} ${record.msg ?? ''}${rest ? `  ${rest}` : ''}`;
}
