import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

/**
 * Encrypts personal data at rest (SSNs, bank account numbers) with AES-256-GCM, and gives a
 * keyed fingerprint (HMAC-SHA-256) for uniqueness checks and look-ups without decrypting.
 * Stored form: `v1.<iv>.<tag>.<ciphertext>`, each base64url.
 */
export class PiiVault {
  private readonly encryptionKey: Buffer;
  private readonly fingerprintKey: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('PII encryption key must be 32 bytes');
    // Separate keys for the two purposes, derived from the one configured key.
    this.encryptionKey = createHmac('sha256', key).update('encrypt').digest();
    this.fingerprintKey = createHmac('sha256', key).update('fingerprint').digest();
  }

  encrypt(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv);
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), body].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
  }

  decrypt(stored: string): string {
    const [version, iv, tag, body] = stored.split('.');
    if (version !== 'v1' || !iv || !tag || body === undefined) throw new Error('Unrecognised encrypted value');
    const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** Deterministic keyed digest of a normalised value: equal inputs, equal fingerprints. */
  fingerprint(value: string): string {
    return createHmac('sha256', this.fingerprintKey).update(value).digest('base64url');
  }
}
