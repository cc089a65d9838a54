/**
 * An identity provider for tests: an ES256 key pair whose public half the Experience API trusts
 * (JWT_PUBLIC_KEYS), and a signer for good and deliberately bad tokens.
 */
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';

export const ISSUER = 'http://127.0.0.1/test-issuer';

export interface TestIdentityProvider {
  /** The public JWKS, as JWT_PUBLIC_KEYS takes it. */
  jwks: string;
  /** A valid token for `sub` (override any claim to make it invalid). */
  token(sub: string, claims?: { iss?: string; aud?: string | string[]; exp?: number | string; nbf?: number; key?: CryptoKey }): Promise<string>;
  /** An unsigned `alg: none` token that would be valid if signatures were not checked. */
  unsignedToken(sub: string): string;
  /** The same claims signed with a key the API does not know. */
  forgedToken(sub: string): Promise<string>;
}

export async function testIdentityProvider(audience: string): Promise<TestIdentityProvider> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const { privateKey: strangerKey } = await generateKeyPair('ES256');
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'test-1', alg: 'ES256', use: 'sig' }] });
  const token: TestIdentityProvider['token'] = (sub, claims = {}) =>
    new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: 'test-1' })
      .setIssuer(claims.iss ?? ISSUER)
      .setAudience(claims.aud ?? audience)
      .setSubject(sub)
      .setIssuedAt()
      .setExpirationTime(claims.exp ?? '10m')
      .setNotBefore(claims.nbf ?? Math.floor(Date.now() / 1000) - 5)
      .sign(claims.key ?? privateKey);
  return {
    jwks,
    token,
    unsignedToken: (sub) => {
      const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
      const exp = Math.floor(Date.now() / 1000) + 600;
      return `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ sub, iss: ISSUER, aud: audience, exp })}.`;
    },
    forgedToken: (sub) => token(sub, { key: strangerKey }),
  };
}
