import { ConfigError, loadConfig } from '@bartholomew/platform';
import { BillingConfigSchema } from '../src/config';

describe('billing configuration', () => {
  it('listens on 3102 unless told otherwise', () => {
    expect(loadConfig(BillingConfigSchema, { ACCEPTED_CALLERS: '' }).PORT).toBe(3102);
    expect(loadConfig(BillingConfigSchema, { ACCEPTED_CALLERS: '', PORT: '4102' }).PORT).toBe(4102);
  });

  it('stops at start naming a malformed variable', () => {
    expect(() => loadConfig(BillingConfigSchema, { ACCEPTED_CALLERS: 'onboarding-process-api:process:short' })).toThrow(ConfigError);
    expect(() => loadConfig(BillingConfigSchema, { ACCEPTED_CALLERS: '', DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL is invalid/);
  });
});
