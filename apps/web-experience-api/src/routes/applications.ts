import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  NoQuerySchema,
  ApplicationListQuerySchema,
  ApplicationListSchema,
  ApplicationParamsSchema,
  ApplicationSchema,
} from '@bartholomew/contracts-web-experience';
import { ref } from '@bartholomew/contracts-onboarding-process';
import { ProblemSchema } from '@bartholomew/contracts-shared';
import { withStaleMarker } from '@bartholomew/experience-kit';
import { applicationSummary, applicationView } from '../views/application-view';
import { readProblems } from './responses';

/** The signed-in user's applications, and one application with its full step timeline. */
export const applicationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/applications',
    {
      schema: {
        operationId: 'listApplications',
        summary: 'Your applications, newest first',
        tags: ['applications'],
        querystring: ApplicationListQuerySchema,
        response: { 200: ref(ApplicationListSchema), ...readProblems },
      },
    },
    async (request) => {
      const page = await app.process.listOnboardings(request, { limit: request.query.limit ?? 20, cursor: request.query.cursor });
      return withStaleMarker(request, { items: page.items.map(applicationSummary), nextCursor: page.nextCursor });
    },
  );

  app.get(
    '/v1/applications/:id',
    {
      schema: {
        operationId: 'getApplication',
        querystring: NoQuerySchema,
        summary: 'One application with its full step timeline (labels, attempts, times, outcomes)',
        tags: ['applications'],
        params: ApplicationParamsSchema,
        response: { 200: ref(ApplicationSchema), ...readProblems, 404: ProblemSchema },
      },
    },
    async (request) => withStaleMarker(request, applicationView(await app.process.getOnboarding(request, request.params.id))),
  );
};
