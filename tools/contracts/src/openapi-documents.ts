/**
 * Every service's OpenAPI document, read from the app itself: each app is built in-process from
 * its app plugin exactly as its main.ts builds it (never listening), and asked for `app.swagger()`.
 * The Experience APIs own no data, so they need nothing running; the System and Process APIs open and
 * migrate a database at start, so they get a throwaway one (`createTestDatabase`: TEST_DATABASE_URL,
 * else an embedded server) that is dropped straight after.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { loadConfig, serviceServerOptions, type ServiceConfig } from '@bartholomew/platform';
import { createTestDatabase, type TestDatabase } from '@bartholomew/testing';
import { testIdentityProvider } from '@bartholomew/test-stack';
import { accountSystem, AccountSystemConfigSchema } from '@bartholomew/account-system-api';
import { BillingConfigSchema, billingSystemApi } from '@bartholomew/billing-system-api';
import { onboardingProcess, OnboardingConfigSchema } from '@bartholomew/onboarding-process-api';
import { mobileExperience, MobileExperienceConfigSchema } from '@bartholomew/mobile-experience-api';
import { webExperience, WebExperienceConfigSchema } from '@bartholomew/web-experience-api';
import type { OpenApiDocument, ServiceName } from './contract-files';

/** What the document generation needs from the environment: nothing a service would use for real. */
const QUIET = {
  PORT: '0',
  LOG_LEVEL: 'silent',
  PII_ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64'),
};
const NO_CALLERS = { ...QUIET, ACCEPTED_CALLERS: '' };

async function experienceEnvironment(audience: ServiceName): Promise<Record<string, string>> {
  const idp = await testIdentityProvider(audience);
  return {
    ...QUIET,
    JWT_ISSUER: 'http://127.0.0.1/openapi-generation',
    JWT_AUDIENCE: audience,
    JWT_PUBLIC_KEYS: idp.jwks,
    // Nothing is called: the document is read before any request.
    ONBOARDING_PROCESS_URL: 'http://127.0.0.1:9',
    SERVICE_CREDENTIAL_SECRET: 'openapi-generation-secret',
  };
}

/** A server built as main.ts builds it, with the service's app plugin registered. */
async function withPlugin(config: ServiceConfig, register: (app: FastifyInstance) => PromiseLike<unknown>): Promise<FastifyInstance> {
  const app = Fastify(serviceServerOptions(config));
  try {
    await register(app);
  } catch (error) {
    await app.close();
    throw error;
  }
  return app;
}

/** The service's app, built from its app plugin and a configuration good enough to ready it. */
async function buildApp(service: ServiceName, databaseUrl: () => Promise<string>): Promise<FastifyInstance> {
  switch (service) {
    case 'account-system-api': {
      const config = loadConfig(AccountSystemConfigSchema, {
        ...NO_CALLERS,
        DATABASE_URL: await databaseUrl(),
      });
      return withPlugin(config, (app) => app.register(accountSystem, { config }));
    }
    case 'billing-system-api': {
      const config = loadConfig(BillingConfigSchema, {
        ...NO_CALLERS,
        DATABASE_URL: await databaseUrl(),
      });
      return withPlugin(config, (app) => app.register(billingSystemApi, { config }));
    }
    case 'onboarding-process-api': {
      const config = loadConfig(OnboardingConfigSchema, {
        ...NO_CALLERS,
        DATABASE_URL: await databaseUrl(),
        SERVICE_CREDENTIAL_SECRET: 'openapi-generation-secret',
        // Serve the API only: no workflow worker polling the throwaway database.
        WORKFLOW_WORKER_ENABLED: 'false',
      });
      return withPlugin(config, (app) => app.register(onboardingProcess, { config }));
    }
    case 'mobile-experience-api': {
      const config = loadConfig(MobileExperienceConfigSchema, await experienceEnvironment(service));
      return withPlugin(config, (app) => app.register(mobileExperience, { config }));
    }
    case 'web-experience-api': {
      const config = loadConfig(WebExperienceConfigSchema, await experienceEnvironment(service));
      return withPlugin(config, (app) => app.register(webExperience, { config }));
    }
  }
}

/** The service's OpenAPI document as its running app serves it at /openapi.json. */
export async function buildOpenApiDocument(service: ServiceName): Promise<OpenApiDocument> {
  let database: TestDatabase | undefined;
  const databaseUrl = async () => {
    database ??= await createTestDatabase();
    return database.url;
  };
  try {
    const app = await buildApp(service, databaseUrl);
    try {
      await app.ready();
      // Plain JSON, detached from the app that is closed next.
      return JSON.parse(JSON.stringify(app.swagger())) as OpenApiDocument;
    } finally {
      await app.close();
    }
  } finally {
    await database?.drop();
  }
}
