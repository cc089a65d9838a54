import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { shapeOpenApiDocument } from './openapi-document';
import type { ServiceDescription } from './service-description';

/**
 * OpenAPI 3.1 at /openapi.json and a docs UI at /docs. Shared schemas keep their `$id` as the
 * component name (instead of swagger's `def-0`), so generated clients get stable types.
 */
const SECURITY_SCHEMES = {
  serviceCredential: {
    type: 'apiKey',
    in: 'header',
    name: 'x-service-credential',
    description: 'The calling service: `<caller-name>.<secret>`',
  },
  bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: "The end user's access token" },
} as const;

export async function registerOpenApi(app: FastifyInstance, service: ServiceDescription, callers: 'services' | 'end-users'): Promise<void> {
  const scheme = callers === 'end-users' ? 'bearer' : 'serviceCredential';
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: service.title, version: service.version, description: service.description },
      tags: service.tags,
      components: { securitySchemes: { [scheme]: SECURITY_SCHEMES[scheme] } },
      security: [{ [scheme]: [] }],
    },
    transformObject: (document) => ('openapiObject' in document ? shapeOpenApiDocument(document.openapiObject, callers) : document.swaggerObject),
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, index) => (typeof json.$id === 'string' ? json.$id : `def-${index}`),
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  app.get('/openapi.json', { schema: { hide: true } }, () => app.swagger());
}
