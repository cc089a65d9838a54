import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Fastify from 'fastify';
import { loadConfig, serviceServerOptions } from '@bartholomew/platform';
import { mobileExperience, MobileExperienceConfigSchema } from '../../src/app';

const devToken = resolve(__dirname, '../../../../tools/dev-token.mjs');

/**
 * `npm run token` and the stack agree: a token from tools/dev-token.mjs is accepted by the API
 * configured as tools/start-stack.mjs configures it (issuer, this API's audience, the JWKS written
 * next to the dev key), and a token for another subject or audience is not confused with it.
 */
describe('dev tokens for the local stack', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'dev-jwt-'));
  const run = (...args: string[]) =>
    execFileSync(process.execPath, [devToken, ...args], { env: { ...process.env, DATA_DIR: dataDir }, encoding: 'utf8' }).trim();
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('creates the key pair once, keeps the private key private, and publishes the public JWKS', () => {
    const first = run('--jwks');
    expect(run('--jwks')).toBe(first);
    const jwks = JSON.parse(readFileSync(join(dataDir, 'dev-jwt/jwks.json'), 'utf8'));
    expect(jwks.keys).toEqual([expect.objectContaining({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: expect.any(String) })]);
    expect(jwks.keys[0]).not.toHaveProperty('d');
    expect(statSync(join(dataDir, 'dev-jwt/private.jwk.json')).mode & 0o077).toBe(0);
  });

  it('signs tokens the API accepts when configured like the stack', async () => {
    const config = loadConfig(MobileExperienceConfigSchema, {
      PORT: '0',
      LOG_LEVEL: 'silent',
      PII_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
      JWT_ISSUER: 'http://127.0.0.1/dev-issuer',
      JWT_AUDIENCE: 'mobile-experience-api',
      JWT_PUBLIC_KEYS: run('--jwks'),
      SERVICE_CREDENTIAL_SECRET: 'dev-token-test-secret-0123',
      ONBOARDING_PROCESS_URL: 'http://127.0.0.1:9',
    });
    const app = Fastify(serviceServerOptions(config));
    await app.register(mobileExperience, { config });
    try {
      const home = (token: string) => app.inject({ url: '/v1/home', headers: { authorization: `Bearer ${token}` } });
      // Accepted (then 503: no Process API here) — not 401.
      expect((await home(run('--sub', 'alice', '--ttl', '5m'))).statusCode).toBe(503);
      expect((await home(run('--sub', 'alice', '--aud', 'web-experience-api'))).statusCode).toBe(401);
      // Another machine's dev key is not this stack's.
      const elsewhere = mkdtempSync(join(tmpdir(), 'dev-jwt-other-'));
      try {
        const foreign = execFileSync(process.execPath, [devToken, '--sub', 'alice'], {
          env: { ...process.env, DATA_DIR: elsewhere },
          encoding: 'utf8',
        }).trim();
        expect((await home(foreign)).statusCode).toBe(401);
      } finally {
        rmSync(elsewhere, { recursive: true, force: true });
      }
    } finally {
      await app.close();
    }
  });

  it('refuses a subject the Process API could not take as an owner', () => {
    expect(() => run('--sub', 'alice smith')).toThrow();
  });
});
