import { Type, type Static } from '@sinclair/typebox';
import { ConfigError, loadConfig, ServiceConfigSchema, type ServiceConfig } from '@bartholomew/platform/server';
import { parseBatchWindow, type BatchWindow } from './batch-window';

// The platform's HTTP settings serve the operations port (health, metrics). ACCEPTED_CALLERS is left
// out: the gateway is a backend, no service calls it over HTTP, and its TCP clients sign on by client id.
const httpSettings = Type.Omit(ServiceConfigSchema, ['ACCEPTED_CALLERS']).properties;

/**
 * The gateway's environment: two ports — PORT, the HTTP operations port every service has
 * (/health/live, /health/ready, /metrics), and GATEWAY_PORT, the TCP port of the protocol (LLLL
 * frames of EBCDIC records) — the platform's HTTP settings for the first, the legacy behaviour for the second.
 */
export const GatewayConfigSchema = Type.Object({
  ...httpSettings,
  PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3001, description: 'HTTP operations port: /health/live, /health/ready, /metrics' }),
  GATEWAY_PORT: Type.Integer({ minimum: 0, maximum: 65535, default: 3901, description: 'TCP port of the gateway protocol (LLLL frames, not HTTP)' }),
  GATEWAY_MAX_SESSIONS: Type.Integer({ minimum: 1, maximum: 10_000, default: 16, description: 'Concurrent sessions (connections)' }),
  GATEWAY_BATCH_WINDOW: Type.String({
    pattern: '^$|^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$',
    default: '',
    description: 'Nightly batch window HH:MM-HH:MM in UTC (may pass midnight); updates are refused inside it. Empty: none',
  }),
  GATEWAY_SLOW_ANSWER_MS: Type.Integer({ minimum: 0, maximum: 60_000, default: 0, description: 'Delay added to answers under load; 0: never' }),
  GATEWAY_SLOW_ANSWER_BUSY_SESSIONS: Type.Integer({
    minimum: 0,
    maximum: 10_000,
    default: 4,
    description: 'Answers are slowed while more than this many sessions have a request in progress',
  }),
  GATEWAY_SESSION_RETRY_SECONDS: Type.Integer({
    minimum: 0,
    maximum: 99_999,
    default: 5,
    description: 'MSG-RETRY-SECONDS of a session-limit answer',
  }),
  GATEWAY_IDLE_TIMEOUT_MS: Type.Integer({ minimum: 1_000, maximum: 86_400_000, default: 300_000, description: 'A session idle this long is closed' }),
});
export type GatewayEnvironment = Static<typeof GatewayConfigSchema>;

export interface GatewayConfig extends GatewayEnvironment {
  /** GATEWAY_BATCH_WINDOW, parsed; undefined for none. */
  batchWindow: BatchWindow | undefined;
}

/** Reads and checks the environment once; a ConfigError names every bad variable. */
export function loadGatewayConfig(env: Record<string, string | undefined> = process.env): GatewayConfig {
  const config = loadConfig(GatewayConfigSchema, env);
  let batchWindow: BatchWindow | undefined;
  try {
    batchWindow = parseBatchWindow(config.GATEWAY_BATCH_WINDOW);
  } catch (error) {
    throw new ConfigError([`GATEWAY_BATCH_WINDOW is invalid: ${(error as Error).message}`]);
  }
  return { ...config, batchWindow };
}

/** The settings of the operations port as the platform's server options take them: no callers. */
export const operationsServerConfig = (config: GatewayConfig): ServiceConfig => ({ ...config, ACCEPTED_CALLERS: '' });
