/**
 * End-user tokens on the dev issuer's scheme (ES256, issuer http://127.0.0.1/dev-issuer, both
 * Experience APIs as audiences — like tools/dev-token.mjs) with a key made for this run, and the
 * bad tokens an attacker would try: forged, expired, issued in the future, for another audience,
 * `alg: none`, and HS256 keyed with the public key (the classic algorithm-confusion attack).
 */
import { SignJWT, calculateJwkThumbprint, exportJWK, exportSPKI, generateKeyPair, type CryptoKey } from 'jose';

export const DEV_ISSUER = 'http://127.0.0.1/dev-issuer';
export const DEV_AUDIENCES = ['mobile-experience-api', 'web-experience-api'];
const ALGORITHM = 'ES256';

export type AbusiveToken = 'missing' | 'forged' | 'expired' | 'future-issued' | 'wrong-audience' | 'alg-none' | 'hs256-public-key' | 'garbage';

export interface Issuer {
  /** The public key set, as text (JWT_PUBLIC_KEYS). */
  jwks: string;
  token(sub: string): Promise<string>;
  /** A token of the given kind for `sub` (`missing`: null, send no Authorization header). */
  abusive(kind: AbusiveToken, sub: string): Promise<string | null>;
}

const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function sign(
  key: CryptoKey | Uint8Array,
  alg: string,
  kid: string,
  sub: string,
  claims: { iat: number; exp: number; nbf?: number; aud?: string[] },
) {
  const jwt = new SignJWT({})
    .setProtectedHeader({ alg, kid, typ: 'JWT' })
    .setIssuer(DEV_ISSUER)
    .setAudience(claims.aud ?? DEV_AUDIENCES)
    .setSubject(sub)
    .setIssuedAt(claims.iat)
    .setExpirationTime(claims.exp);
  if (claims.nbf !== undefined) jwt.setNotBefore(claims.nbf);
  return jwt.sign(key);
}

export async function createIssuer(): Promise<Issuer> {
  const trusted = await generateKeyPair(ALGORITHM, { extractable: true });
  const other = await generateKeyPair(ALGORITHM);
  const publicJwk = await exportJWK(trusted.publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  const publicPem = await exportSPKI(trusted.publicKey);
  const jwks = JSON.stringify({
    keys: [{ ...publicJwk, kid, alg: ALGORITHM, use: 'sig' }],
  });
  const valid = { iat: 0, exp: 0 };
  const fresh = () => ({ ...valid, iat: now(), exp: now() + 3600 });

  return {
    jwks,
    token: (sub) => sign(trusted.privateKey, ALGORITHM, kid, sub, fresh()),
    async abusive(kind, sub) {
      switch (kind) {
        case 'missing':
          return null;
        case 'garbage':
          return 'not-a.jwt.at-all';
        case 'forged':
          return sign(other.privateKey, ALGORITHM, kid, sub, fresh());
        case 'expired':
          return sign(trusted.privateKey, ALGORITHM, kid, sub, {
            iat: now() - 3600,
            exp: now() - 600,
          });
        case 'future-issued':
          return sign(trusted.privateKey, ALGORITHM, kid, sub, {
            iat: now() + 3600,
            nbf: now() + 3600,
            exp: now() + 7200,
          });
        case 'wrong-audience':
          return sign(trusted.privateKey, ALGORITHM, kid, sub, {
            ...fresh(),
            aud: ['someone-else-api'],
          });
        case 'alg-none':
          return `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ iss: DEV_ISSUER, aud: DEV_AUDIENCES, sub, iat: now(), exp: now() + 3600 })}.`;
        case 'hs256-public-key':
          return sign(new TextEncoder().encode(publicPem), 'HS256', kid, sub, fresh());
      }
    },
  };
}
