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
  bearer: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    // What end-user-auth.ts checks, in the words of the JWT best-current-practice RFC.
    description:
      "The end user's access token: a signed JWT (JWS) handled as RFC8725 recommends — algorithms pinned (never `none`), issuer, audience, expiry and not-before checked; only in the Authorization header, never in the URL",
  },
} as const;

export async function registerOpenApi(app: FastifyInstance, service: ServiceDescription, callers: 'services' | 'end-users'): Promise<void> {
  const scheme = callers === 'end-users' ? 'bearer' : 'serviceCredential';
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: service.title,
        version: service.version,
        description: service.description,
      },
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
