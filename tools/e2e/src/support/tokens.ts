/**
 * End-user tokens as the local stack's dev issuer signs them (same scheme as tools/dev-token.mjs:
 * ES256, issuer http://127.0.0.1/dev-issuer, both Experience APIs as audiences), with a key made
 * for this run. The public key set is written to <dataDir>/dev-jwt/jwks.json and handed to the
 * Experience APIs as JWT_PUBLIC_KEYS. A second key with the same `kid` forges tokens.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair, type CryptoKey } from 'jose';

export const DEV_ISSUER = 'http://127.0.0.1/dev-issuer';
export const DEV_AUDIENCES = ['mobile-experience-api', 'web-experience-api'];
const ALGORITHM = 'ES256';

export interface DevIssuer {
  /** The public key set, as text (JWT_PUBLIC_KEYS). */
  jwks: string;
  /** A valid token for `sub`, for both Experience APIs. */
  token(sub: string): Promise<string>;
  /** A token for `sub` that expired ten minutes ago (well beyond any clock tolerance). */
  expiredToken(sub: string): Promise<string>;
  /** A token for `sub` with the trusted key's `kid`, signed by another key. */
  forgedToken(sub: string): Promise<string>;
}

async function sign(key: CryptoKey, kid: string, sub: string, issuedAt: number, expiresAt: number): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: ALGORITHM, kid, typ: 'JWT' })
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCES)
    .setSubject(sub)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(key);
}

export async function createDevIssuer(dataDir: string): Promise<DevIssuer> {
  const trusted = await generateKeyPair(ALGORITHM, { extractable: true });
  const other = await generateKeyPair(ALGORITHM);
  const publicJwk = await exportJWK(trusted.publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const jwks = JSON.stringify({ keys: [{ ...publicJwk, kid, alg: ALGORITHM, use: 'sig' }] });
  const dir = join(dataDir, 'dev-jwt');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(join(dir, 'jwks.json'), `${jwks}\n`);
  const now = () => Math.floor(Date.now() / 1000);
  return {
    jwks,
    token: (sub) => sign(trusted.privateKey, kid, sub, now(), now() + 3600),
    expiredToken: (sub) => sign(trusted.privateKey, kid, sub, now() - 3600, now() - 600),
    forgedToken: (sub) => sign(other.privateKey, kid, sub, now(), now() + 3600),
  };
}
