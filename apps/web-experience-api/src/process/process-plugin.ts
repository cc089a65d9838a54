import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { WebExperienceConfig } from '../config';
import { LastGoodAnswers } from '@bartholomew/experience-kit';
import type { OnboardingProcess } from './onboarding-process';
import { processClientFrom } from './process-client';
import { ProcessFacade } from './process-facade';

declare module 'fastify' {
  interface FastifyInstance {
    /** The onboarding Process API, on behalf of the request's end user. */
    process: ProcessFacade;
  }
}

export interface ProcessPluginOptions {
  config: WebExperienceConfig;
  /** Test seam: another implementation of the Process API port (default: its HTTP client, from config). */
  process?: OnboardingProcess;
}

/**
 * The one downstream of this service. Its client is registered in `app.downstreams`, so its
 * circuit breaker shows in /health/ready and /metrics, and closed with the server.
 */
async function processPlugin(app: FastifyInstance, { config, process = processClientFrom(config) }: ProcessPluginOptions): Promise<void> {
  app.downstreams.add(process);
  app.addHook('onClose', async () => process.close());
  const lastGood = new LastGoodAnswers({ maxAgeMs: config.STALE_MAX_AGE_MS, maxEntries: config.STALE_MAX_ENTRIES });
  app.decorate('process', new ProcessFacade(process, lastGood, config.UNAVAILABLE_RETRY_AFTER_S));
}

export const onboardingProcess = fp(processPlugin, { name: 'onboarding-process', dependencies: ['platform'], fastify: '5.x' });
