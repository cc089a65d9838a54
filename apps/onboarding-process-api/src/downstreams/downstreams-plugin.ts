import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { HttpAccountSystemClient, type AccountSystemClient } from '@bartholomew/clients-account-system';
import { HttpBillingSystemClient, type BillingSystemClient } from '@bartholomew/clients-billing-system';
import { ConfigError } from '@bartholomew/platform/server';
import { SandboxAchVerifier, type AchVerifier } from '../ach-verification';
import type { OnboardingConfig } from '../config';
import { HttpKycProvider, SandboxKycProvider, type KycProvider } from '../kyc';
import { FeePlanCache } from './fee-plan-cache';

/** This service's name as the System APIs know it in their ACCEPTED_CALLERS. */
export const SERVICE_NAME = 'onboarding-process-api';

export interface Downstreams {
  accountSystem: AccountSystemClient;
  billingSystem: BillingSystemClient;
  kyc: KycProvider;
  ach: AchVerifier;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Everything this service talks to: the two System APIs (only via their clients) and the verification providers. */
    downstream: Downstreams;
    /** Billing's fee plans, read at most every few minutes: the product list and the overviews share them. */
    feePlans: FeePlanCache;
  }
}

export interface DownstreamsPluginOptions {
  config: OnboardingConfig;
  /** Replaces any of the defaults built from config (tests pass a deterministic ACH verifier). */
  overrides?: Partial<Downstreams>;
  /** How long fee plans read from billing are used (default FEE_PLANS_FRESH_FOR_MS). */
  feePlansFreshForMs?: number;
}

function kycProviderFrom(config: OnboardingConfig): KycProvider {
  if (config.KYC_PROVIDER === 'sandbox') return new SandboxKycProvider();
  if (!config.KYC_HTTP_URL || !config.KYC_HTTP_API_KEY) {
    throw new ConfigError(['KYC_HTTP_URL and KYC_HTTP_API_KEY are required when KYC_PROVIDER=http']);
  }
  return new HttpKycProvider({
    baseUrl: config.KYC_HTTP_URL,
    apiKey: config.KYC_HTTP_API_KEY,
    timeoutMs: config.KYC_TIMEOUT_MS,
    breaker: { resetTimeoutMs: config.DOWNSTREAM_BREAKER_RESET_MS },
  });
}

/**
 * Creates the outbound clients once, at start, with this service's own process-layer credential;
 * registers the System API clients and the KYC vendor with the platform (breaker state in
 * /health/ready and /metrics) and closes everything on shutdown.
 */
async function downstreamsPlugin(app: FastifyInstance, options: DownstreamsPluginOptions): Promise<void> {
  const { config } = options;
  const credential = { callerName: SERVICE_NAME, secret: config.SERVICE_CREDENTIAL_SECRET };
  const clientOptions = { credential, timeoutMs: config.DOWNSTREAM_TIMEOUT_MS, breaker: { resetTimeoutMs: config.DOWNSTREAM_BREAKER_RESET_MS } };
  const downstream: Downstreams = {
    accountSystem: options.overrides?.accountSystem ?? new HttpAccountSystemClient({ ...clientOptions, baseUrl: config.ACCOUNT_SYSTEM_URL }),
    billingSystem: options.overrides?.billingSystem ?? new HttpBillingSystemClient({ ...clientOptions, baseUrl: config.BILLING_SYSTEM_URL }),
    kyc: options.overrides?.kyc ?? kycProviderFrom(config),
    ach: options.overrides?.ach ?? new SandboxAchVerifier({ microDepositValidityDays: config.MICRO_DEPOSIT_EXPIRY_MS / 86_400_000 }),
  };
  app.downstreams.add(downstream.accountSystem);
  app.downstreams.add(downstream.billingSystem);
  if (downstream.kyc instanceof HttpKycProvider) app.downstreams.add(downstream.kyc);
  app.decorate('downstream', downstream);
  app.decorate(
    'feePlans',
    new FeePlanCache({
      billingSystem: downstream.billingSystem,
      log: app.log.child({ component: 'fee-plans' }),
      freshForMs: options.feePlansFreshForMs,
    }),
  );
  app.addHook('onClose', async () => {
    await Promise.allSettled([downstream.accountSystem.close(), downstream.billingSystem.close(), downstream.kyc.close(), downstream.ach.close()]);
  });
}

export const downstreams = fp(downstreamsPlugin, { name: 'onboarding-downstreams', dependencies: ['platform'], fastify: '5.x' });
