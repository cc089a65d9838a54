#!/usr/bin/env node
/**
 * Development bearer tokens for the Experience APIs, signed with a local ES256 key that only the
 * local stack trusts.
 *
 *   node tools/dev-token.mjs --sub alice [--ttl 1h] [--aud mobile-experience-api,web-experience-api]
 *   node tools/dev-token.mjs --jwks          # print the public key set (what JWT_PUBLIC_KEYS is set to)
 *
 * The key pair is created on first use in <DATA_DIR or .data>/dev-jwt/: `private.jwk.json`
 * (mode 600, never leaves the machine) and `jwks.json`, the public key set the stack passes to
 * the Experience APIs as JWT_PUBLIC_KEYS. Issuer `http://127.0.0.1/dev-issuer`. Each Experience
 * API accepts only its own audience; a dev token names every Experience API of services.json by
 * default, so one token works on all of them (a newly generated one included).
 * Prints only the token, so `TOKEN=$(node tools/dev-token.mjs --sub alice)` works.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { SignJWT, calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK } from 'jose';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const DEV_ISSUER = 'http://127.0.0.1/dev-issuer';
/** Every Experience API of services.json: the audiences a dev token names by default. */
export const DEV_AUDIENCES = JSON.parse(readFileSync(join(root, 'services.json'), 'utf8'))
  .services.filter((service) => service.layer === 'experience')
  .map((service) => service.name);
const ALGORITHM = 'ES256';

/** Where the dev key lives: the stack's data folder (DATA_DIR, default .data at the root). */
export function devKeyDir(dataDir = process.env.DATA_DIR ? resolve(process.env.DATA_DIR) : join(root, '.data')) {
  return join(dataDir, 'dev-jwt');
}

/** Creates the key pair on first use; answers the public JWKS (as text, for JWT_PUBLIC_KEYS) and the private key. */
export async function ensureDevKey(dir = devKeyDir()) {
  const privateFile = join(dir, 'private.jwk.json');
  const jwksFile = join(dir, 'jwks.json');
  if (!existsSync(privateFile)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const { privateKey, publicKey } = await generateKeyPair(ALGORITHM, { extractable: true });
    const publicJwk = await exportJWK(publicKey);
    const kid = await calculateJwkThumbprint(publicJwk);
    const privateJwk = { ...(await exportJWK(privateKey)), kid, alg: ALGORITHM, use: 'sig' };
    writeFileSync(privateFile, `${JSON.stringify(privateJwk, null, 2)}\n`, { mode: 0o600 });
    writeFileSync(jwksFile, `${JSON.stringify({ keys: [{ ...publicJwk, kid, alg: ALGORITHM, use: 'sig' }] }, null, 2)}\n`);
  }
  const privateJwk = JSON.parse(readFileSync(privateFile, 'utf8'));
  if (!existsSync(jwksFile)) {
    const { d: _secret, ...publicJwk } = privateJwk;
    writeFileSync(jwksFile, `${JSON.stringify({ keys: [publicJwk] }, null, 2)}\n`);
  }
  const jwks = JSON.stringify(JSON.parse(readFileSync(jwksFile, 'utf8')));
  return { dir, jwks, privateJwk };
}

/** A signed dev token for `sub`, valid for `ttl` (jose time span: `30s`, `15m`, `1h`, `7d`). */
export async function signDevToken({ sub, ttl = '1h', audience = DEV_AUDIENCES, dir = devKeyDir() }) {
  if (!sub || !/^[\x21-\x7E]{1,200}$/.test(sub)) throw new Error('--sub must be 1-200 visible ASCII characters');
  if (!/^\d+\s?(s|sec|secs|second|seconds|m|min|mins|minute|minutes|h|hr|hrs|hour|hours|d|day|days|w|week|weeks)$/.test(ttl)) {
    throw new Error('--ttl must be a time span such as 30s, 15m, 1h or 7d');
  }
  const { privateJwk } = await ensureDevKey(dir);
  const key = await importJWK(privateJwk, ALGORITHM);
  return new SignJWT({})
    .setProtectedHeader({ alg: ALGORITHM, kid: privateJwk.kid, typ: 'JWT' })
    .setIssuer(DEV_ISSUER)
    .setAudience(audience.length === 1 ? audience[0] : audience)
    .setSubject(sub)
    .setIssuedAt()
    .setExpirationTime(ttl)
    .sign(key);
}

async function main() {
  const { values } = parseArgs({
    options: {
      sub: { type: 'string' },
      ttl: { type: 'string', default: '1h' },
      aud: { type: 'string', default: DEV_AUDIENCES.join(',') },
      jwks: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    console.log('usage: node tools/dev-token.mjs --sub <subject> [--ttl 1h] [--aud a,b]\n       node tools/dev-token.mjs --jwks');
    return;
  }
  if (values.jwks) {
    console.log((await ensureDevKey()).jwks);
    return;
  }
  if (!values.sub) throw new Error('--sub is required (the customer the token is for), e.g. --sub alice');
  const audience = values.aud
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  console.log(await signDevToken({ sub: values.sub, ttl: values.ttl, audience }));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    console.error(`dev-token: ${error.message}`);
    process.exit(1);
  });
}
