import { createHash, timingSafeEqual } from 'node:crypto';

export const CallerLayer = {
  system: 'system',
  process: 'process',
  experience: 'experience',
  operator: 'operator',
} as const;
export type CallerLayer = (typeof CallerLayer)[keyof typeof CallerLayer];

/** Who is calling: a service of one layer, or an operator tool. */
export interface Caller {
  name: string;
  layer: CallerLayer;
}

/** The header that carries `<caller-name>.<secret>` on every call between services. */
export const SERVICE_CREDENTIAL_HEADER = 'x-service-credential';

interface KnownCaller extends Caller {
  secretDigest: Buffer;
}

const digest = (secret: string) => createHash('sha256').update(secret).digest();

/**
 * The callers a service accepts, from `ACCEPTED_CALLERS` (`name:layer:secret,...`).
 * Secrets are compared as SHA-256 digests in constant time.
 */
export class CallerDirectory {
  private readonly callers = new Map<string, KnownCaller>();

  constructor(acceptedCallers: string) {
    for (const entry of acceptedCallers.split(',').filter(Boolean)) {
      const [name, layer, secret] = entry.split(':');
      this.callers.set(name, { name, layer: layer as CallerLayer, secretDigest: digest(secret) });
    }
  }

  /** The caller a credential header proves, or undefined when it proves nothing. */
  identify(credential: string | undefined): Caller | undefined {
    if (!credential) return undefined;
    const dot = credential.indexOf('.');
    if (dot <= 0) return undefined;
    const known = this.callers.get(credential.slice(0, dot));
    if (!known) return undefined;
    if (!timingSafeEqual(known.secretDigest, digest(credential.slice(dot + 1)))) return undefined;
    return { name: known.name, layer: known.layer };
  }
}

/** Formats the outbound credential header value. */
export function serviceCredential(callerName: string, secret: string): string {
  return `${callerName}.${secret}`;
}
