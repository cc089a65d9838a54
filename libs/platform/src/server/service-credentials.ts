import { createHash, timingSafeEqual } from 'node:crypto';
import { parseServiceCredential } from '../shared/service-credential';

export { SERVICE_CREDENTIAL_HEADER, serviceCredential } from '../shared/service-credential';

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
    const parsed = credential ? parseServiceCredential(credential) : undefined;
    if (!parsed) return undefined;
    const known = this.callers.get(parsed.callerName);
    if (!known) return undefined;
    if (!timingSafeEqual(known.secretDigest, digest(parsed.secret))) return undefined;
    return { name: known.name, layer: known.layer };
  }
}
