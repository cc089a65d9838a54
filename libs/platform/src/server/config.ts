import { Type, type Static, type TObject } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

/** Raised at start when the environment does not describe a runnable service; names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** A comma-separated list of `name:layer:secret` entries; see service-credentials.ts. */
const CallerListSchema = Type.String({
  pattern: '^$|^[a-z0-9-]+:(system|process|experience|operator):[^,:\\s]{16,}(,[a-z0-9-]+:(system|process|experience|operator):[^,:\\s]{16,})*$',
  default: '',
  description: 'Callers this service accepts: comma-separated name:layer:secret (secret ≥ 16 chars); empty accepts none',
});

/**
 * The environment every service understands. A service's own schema spreads these properties:
 * `Type.Object({ ...ServiceConfigSchema.properties, MY_VAR: ... })`.
 */
export const ServiceConfigSchema = Type.Object({
  HOST: Type.String({ default: '127.0.0.1', minLength: 1 }),
  PORT: Type.Integer({ minimum: 0, maximum: 65535 }),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((level) => Type.Literal(level)),
    { default: 'info' },
  ),
  DATABASE_URL: Type.Optional(Type.String({ pattern: '^postgres(ql)?://' })),
  DATABASE_POOL_SIZE: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 500,
      description:
        'Most PostgreSQL connections this process holds (default 10). More is not faster on a small machine: on 2 cores the Process API completed fewer onboardings with 34 than with 10',
    }),
  ),
  DATA_DIR: Type.String({
    default: '.data',
    minLength: 1,
    description: 'Embedded Postgres data and other local files',
  }),
  BODY_LIMIT_BYTES: Type.Integer({
    minimum: 1024,
    maximum: 10_485_760,
    default: 65_536,
  }),
  REQUEST_TIMEOUT_MS: Type.Integer({
    minimum: 100,
    maximum: 120_000,
    default: 10_000,
  }),
  HEADERS_TIMEOUT_MS: Type.Integer({
    minimum: 100,
    maximum: 120_000,
    default: 5_000,
    description: 'A client must send its request headers within this time (at most REQUEST_TIMEOUT_MS), else 408',
  }),
  KEEP_ALIVE_TIMEOUT_MS: Type.Integer({
    minimum: 1_000,
    maximum: 600_000,
    default: 72_000,
    description: 'Idle keep-alive connections are closed after this; keep it above the load balancer idle timeout (60 s)',
  }),
  MAX_CONNECTIONS: Type.Integer({
    minimum: 1,
    maximum: 1_000_000,
    default: 2_000,
    description: 'Connections beyond this are closed at once',
  }),
  MAX_CONNECTIONS_PER_PEER: Type.Integer({
    minimum: 0,
    maximum: 1_000_000,
    default: 256,
    description:
      'Open connections one peer address may hold; beyond it new ones are closed at once, so one client cannot take every connection. Behind a proxy the peer is the proxy: raise it above its pool, or 0 for no cap',
  }),
  TRUST_PROXY: Type.String({
    pattern: '^$|^[0-9]{1,2}$|^[0-9A-Za-z:./]+(\\s*,\\s*[0-9A-Za-z:./]+)*$',
    default: '',
    description:
      'Proxies whose X-Forwarded-For is believed for the client address: comma-separated addresses/CIDRs (or loopback, linklocal, uniquelocal), or a hop count; empty trusts none',
  }),
  STARTUP_TIMEOUT_MS: Type.Integer({
    minimum: 1_000,
    maximum: 600_000,
    default: 60_000,
    description: 'Longest one start-up step (migrations, worker pool, connections) may take before the service gives up and exits',
  }),
  SHUTDOWN_GRACE_MS: Type.Integer({
    minimum: 0,
    maximum: 120_000,
    default: 10_000,
  }),
  ACCEPTED_CALLERS: CallerListSchema,
  PII_ENCRYPTION_KEY: Type.Optional(
    Type.String({
      pattern: '^[A-Za-z0-9+/]{43}=$',
      description: 'base64 of 32 random bytes (AES-256-GCM key)',
    }),
  ),
});
export type ServiceConfig = Static<typeof ServiceConfigSchema>;

/**
 * Reads the configuration once, at start, from environment variables: defaults applied,
 * numbers converted, and every missing or malformed variable reported by name.
 * Values are never echoed back (they may be secrets).
 */
export function loadConfig<T extends TObject>(schema: T, env: Record<string, string | undefined> = process.env): Static<T> {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(schema.properties)) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const candidate = Value.Convert(schema, Value.Default(schema, raw));
  const problems = [...Value.Errors(schema, candidate)].map((error) => {
    const name = error.path.replace(/^\//, '') || '(root)';
    return raw[name] === undefined ? `${name} is required (${error.message})` : `${name} is invalid: ${error.message}`;
  });
  if (problems.length > 0) throw new ConfigError([...new Set(problems)]);
  return candidate as Static<T>;
}
