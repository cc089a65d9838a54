/**
 * The gateway's Prometheus metrics, served on its operations port (/metrics): sessions open against
 * the limit, every answer by transaction, return and reason code, whether the batch window is open,
 * and the process metrics every service exports. One registry per gateway.
 */
import { TRANSACTIONS, type ReasonCode, type ReturnCode } from '@bartholomew/mainframe-codec';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

export interface GatewayMetricsSource {
  /** Sessions open now. */
  sessions(): number;
  /** The session limit (GATEWAY_MAX_SESSIONS). */
  maxSessions: number;
  /** True while the batch window refuses updates. */
  batchWindowOpen(): boolean;
}

/** A transaction code as a label: a client can send any 8 characters, so anything not a transaction is `unknown` (and nothing read: `none`). */
const tranCodeLabel = (tranCode: string) => (tranCode === '' ? 'none' : Object.hasOwn(TRANSACTIONS, tranCode) ? tranCode : 'unknown');

export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly answers: Counter<'tran_code' | 'return_code' | 'reason_code'>;

  constructor(serviceName: string, source: GatewayMetricsSource) {
    this.registry.setDefaultLabels({ service: serviceName });
    collectDefaultMetrics({ register: this.registry });
    new Gauge({
      name: 'gateway_sessions_open',
      help: 'Gateway sessions (TCP connections) open now',
      registers: [this.registry],
      collect() {
        this.set(source.sessions());
      },
    });
    new Gauge({
      name: 'gateway_sessions_max',
      help: 'The session limit (GATEWAY_MAX_SESSIONS); a connection beyond it is refused with RC 8 reason 0822',
      registers: [this.registry],
    }).set(source.maxSessions);
    new Gauge({
      name: 'gateway_batch_window_open',
      help: '1 while the nightly batch window refuses updates (RC 8 reason 0821), else 0',
      registers: [this.registry],
      collect() {
        this.set(source.batchWindowOpen() ? 1 : 0);
      },
    });
    this.answers = new Counter({
      name: 'gateway_requests_total',
      help: 'Gateway requests answered, by transaction code, return code and reason code',
      labelNames: ['tran_code', 'return_code', 'reason_code'] as const,
      registers: [this.registry],
    });
  }

  /** Counts one answer sent. */
  answered(tranCode: string, returnCode: ReturnCode, reasonCode: ReasonCode): void {
    this.answers.inc({ tran_code: tranCodeLabel(tranCode), return_code: String(returnCode), reason_code: String(reasonCode).padStart(4, '0') });
  }
}
