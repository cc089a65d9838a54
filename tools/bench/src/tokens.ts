/**
 * End-user tokens on the dev issuer's scheme (ES256, issuer http://127.0.0.1/dev-issuer, both
 * Experience APIs as audiences — as tools/dev-token.mjs signs them), with a key made for the run.
 * The private key travels to the load process as a JWK, so it signs the tokens of the users it
 * creates itself.
 */
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose';

export const DEV_ISSUER = 'http://127.0.0.1/dev-issuer';
const AUDIENCES = ['mobile-experience-api', 'web-experience-api'];
const ALGORITHM = 'ES256';

export interface SigningKey {
  kid: string;
  privateJwk: JWK;
  /** The public key set, as text (JWT_PUBLIC_KEYS). */
  jwks: string;
}

export async function createSigningKey(): Promise<SigningKey> {
  const { publicKey, privateKey } = await generateKeyPair(ALGORITHM, {
    extractable: true,
  });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return {
    kid,
    privateJwk: await exportJWK(privateKey),
    jwks: JSON.stringify({
      keys: [{ ...publicJwk, kid, alg: ALGORITHM, use: 'sig' }],
    }),
  };
}

/** A signer of one-hour tokens for any subject. */
export async function tokenSigner(key: Pick<SigningKey, 'kid' | 'privateJwk'>): Promise<(sub: string) => Promise<string>> {
  const privateKey = await importJWK(key.privateJwk, ALGORITHM);
  return (sub) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({})
      .setProtectedHeader({ alg: ALGORITHM, kid: key.kid, typ: 'JWT' })
      .setIssuer(DEV_ISSUER)
      .setAudience(AUDIENCES)
      .setSubject(sub)
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(privateKey);
  };
}
