import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { LastGoodAnswers } from '../last-good-answers';
import { RecentReads } from '../recent-reads';
import type { OnboardingProcess } from './onboarding-process';
import { processClientFrom } from './process-client';
import type { ExperienceConfig } from './process-config';
import { ProcessFacade } from './process-facade';

declare module 'fastify' {
  interface FastifyInstance {
    /** The onboarding Process API, on behalf of the request's end user. */
    process: ProcessFacade;
  }
}

export interface ProcessPluginOptions {
  config: ExperienceConfig;
  /** The service's own name, as the Process API knows its credential (e.g. `web-experience-api`). */
  callerName: string;
  /** Test seam: another implementation of the Process API port (default: its HTTP client, from config). */
  process?: OnboardingProcess;
}

/**
 * The one downstream of an Experience API, as `app.process`. Its client is registered in
 * `app.downstreams`, so its circuit breaker shows in /health/ready and /metrics, and closed with
 * the server.
 */
async function processPlugin(
  app: FastifyInstance,
  { config, callerName, process = processClientFrom(config, callerName) }: ProcessPluginOptions,
): Promise<void> {
  app.downstreams.add(process);
  app.addHook('onClose', async () => process.close());
  const lastGood = new LastGoodAnswers({
    maxAgeMs: config.STALE_MAX_AGE_MS,
    maxEntries: config.STALE_MAX_ENTRIES,
  });
  const recent = new RecentReads({ freshForMs: config.READ_CACHE_MS, maxUsers: config.READ_CACHE_MAX_USERS });
  app.decorate('process', new ProcessFacade(process, lastGood, recent, config.UNAVAILABLE_RETRY_AFTER_S));
}

export const onboardingProcess = fp(processPlugin, {
  name: 'onboarding-process',
  dependencies: ['platform'],
  fastify: '5.x',
});
