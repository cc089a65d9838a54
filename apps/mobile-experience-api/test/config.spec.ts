import { ConfigError, loadConfig } from '@bartholomew/platform';
import { MobileExperienceConfigSchema } from '../src/config';

const minimal = {
  JWT_ISSUER: 'http://127.0.0.1/dev-issuer',
  JWT_AUDIENCE: 'mobile-experience-api',
  JWT_PUBLIC_KEYS: '{"keys":[]}',
  SERVICE_CREDENTIAL_SECRET: 'secret-of-at-least-16',
};

describe('configuration', () => {
  it('defaults to port 3301, the local Process API, and ES256 tokens only', () => {
    const config = loadConfig(MobileExperienceConfigSchema, minimal);
    expect(config).toMatchObject({ PORT: 3301, ONBOARDING_PROCESS_URL: 'http://127.0.0.1:3201', JWT_ALGORITHMS: 'ES256', STALE_MAX_AGE_MS: 900_000 });
  });

  it.each([
    ['JWT_ISSUER', { JWT_ISSUER: undefined }],
    ['JWT_AUDIENCE', { JWT_AUDIENCE: undefined }],
    ['SERVICE_CREDENTIAL_SECRET', { SERVICE_CREDENTIAL_SECRET: 'short' }],
    ['ONBOARDING_PROCESS_URL', { ONBOARDING_PROCESS_URL: 'ftp://process' }],
    ['JWT_ALGORITHMS', { JWT_ALGORITHMS: 'none' }],
    ['JWT_ALGORITHMS', { JWT_ALGORITHMS: 'HS256' }],
  ])('refuses to start without a valid %s, naming it', (name, change) => {
    const attempt = () => loadConfig(MobileExperienceConfigSchema, { ...minimal, ...change });
    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(new RegExp(name));
  });
});
