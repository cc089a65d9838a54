import type { Downstream } from '../downstream.ts';
import type { ResourceNames, ServiceNames } from '../names.ts';
import {
  apiBelowTestSource,
  appFile,
  callerConfigFields,
  callerEnvExample,
  configFile,
  downstreamClientExpression,
  envExampleFile,
  errorsFile,
  mainFile,
  overApiBelowSource,
  problemTestHelpersSource,
  readmeFile,
} from '../service-files.ts';

/** The JWT issuer of generated tests: bearer tokens the app under test accepts. */
export const TEST_ISSUER = 'http://127.0.0.1/test-issuer';

/**
 * Test source: \`testIssuer()\` — a fresh ES256 key, the key set to give the API as JWT_PUBLIC_KEYS,
 * and bearer tokens for any subject (what a real identity provider would sign).
 */
export function testIssuerSource(n: ServiceNames): string {
  return `/** A token issuer for tests: its key set (JWT_PUBLIC_KEYS of the API) and tokens for any end user. */
async function testIssuer(): Promise<{ jwks: string; token(subject: string): Promise<string> }> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid: 'test-1', alg: 'ES256', use: 'sig' }] });
  const token = (subject: string) =>
    new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid: 'test-1' })
      .setIssuer('${TEST_ISSUER}')
      .setAudience('${n.name}')
      .setSubject(subject)
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(privateKey);
  return { jwks, token };
}
`;
}

/**
 * SQL that seeds a finished (refused) start of the Process API below straight into its database:
 * views are read-only, and the System API under the Process API is not running in these tests.
 */
export const seedSql = (r: ResourceNames) =>
  `INSERT INTO ${r.table} (owner, customer_id, name, status, failure_code) VALUES ($1, $2, $3, 'failed', 'SEEDED') RETURNING id`;

/** apps/<name>: bootstrap, config, the Process API seam on experience-kit, the first view, tests over the real Process API. */
export function experienceAppFiles(n: ServiceNames, process: Downstream, port: number): Record<string, string> {
  const p = process.names;
  const r = process.resource;
  const errorCode = `${r.constant}_NOT_FOUND`;
  const resources = r.plural.replace(/-/g, ' ');
  return {
    '.env.example': envExampleFile(
      n,
      port,
      false,
      `# End users: bearer JWTs of this issuer and audience, checked with these keys (or JWT_JWKS_URL).
JWT_ISSUER=http://127.0.0.1/dev-issuer
JWT_AUDIENCE=${n.name}
# JWT_JWKS_URL=https://issuer.example/.well-known/jwks.json
# JWT_PUBLIC_KEYS={"keys":[...]}
JWT_ALGORITHMS=ES256
# Shared rate-limit counters across replicas (unset: per process).
# REDIS_URL=redis://127.0.0.1:6379

${callerEnvExample(n, process, 'PROCESS')}# While the Process API is unavailable: the last good answer (at most this old, this many kept) marked stale, else 503.
STALE_MAX_AGE_MS=900000
STALE_MAX_ENTRIES=10000
UNAVAILABLE_RETRY_AFTER_S=5
`,
    ),
    'README.md': readmeFile(n, port, {
      summary: `views for end users with bearer tokens over the
${p.title} (\`${p.urlVariable}\`), through \`${p.clientsPackage}\` and \`@bartholomew/experience-kit\`.
It has no data and no business rules: only views. Apps call it through its typed client
\`${n.clientsPackage}\` (the platform's \`fetch\` only: browsers, React Native, Node).`,
      operations: [
        `| get${r.pascal}View | \`GET /v1/${r.plural}/{${r.camel}Id}\` | 200 (\`ETag\`; \`If-None-Match\` → 304; \`x-stale: true\` while the Process API is down) | 401 UNAUTHENTICATED, 404 ${errorCode} (also another user's), 503 SERVICE_UNAVAILABLE + \`Retry-After\` |`,
      ],
      generatedWith: `${n.base} --process=${p.name}`,
      testNote: `The tests run the real ${p.title} (its app plugin on its own port and database).`,
    }),
    'src/config.ts': configFile(n, port, {
      doc: `The ${n.title}'s environment: the platform's variables, end-user token settings, the Process
 * API it calls with its own outbound credential, and degraded mode (last good answers).`,
      alsoSpread: ['EndUserAuthConfigSchema'],
      fields: `${callerConfigFields(n, process, 'PROCESS')}  STALE_MAX_AGE_MS: milliseconds(15 * 60_000, 0, 24 * 3_600_000, 'Oldest last-good answer still served when the Process API is down (0: never)'),
  STALE_MAX_ENTRIES: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 10_000, description: 'Last-good answers kept in memory' }),
  UNAVAILABLE_RETRY_AFTER_S: Type.Integer({ minimum: 1, maximum: 3600, default: 5, description: 'Retry-After of a 503 when the Process API gave none' }),
`,
    }),
    'src/main.ts': mainFile(n),
    'src/app.ts': appFile(n, {
      imports: [
        `import { ${n.camel}Schemas, STALE_HEADER } from '${n.contractsPackage}';`,
        `import { conditionalReads, ownerSubject } from '@bartholomew/experience-kit';`,
      ],
      localImports: [`import { ${p.camel} } from './process/${p.api}-plugin';`, `import { ${r.camel}Routes } from './routes/${r.plural}';`],
      doc: `The ${n.title}: views for end users with bearer tokens over the ${p.title}. No data, no
 * business rules.`,
      description: `Views of your ${resources} at Bartholomew Capital. Bearer tokens only.`,
      tag: { name: r.plural, description: `Your ${resources}` },
      platformOptions: `    endUsers: config,
`,
      registrations: ['ownerSubject', 'conditionalReads, { staleHeader: STALE_HEADER }', `${p.camel}, { config }`, `${r.camel}Routes`],
    }),
    'src/errors.ts': errorsFile(n, r, `The ${n.title}'s own refusals (the kit's cover the rest: 503, bad subjects).`),
    [`src/process/${p.api}-plugin.ts`]: `import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Http${p.pascal}Client } from '${p.clientsPackage}';
import { LastGoodAnswers } from '@bartholomew/experience-kit';
import type { ${n.pascal}Config } from '../config';
import { ${p.pascal}Facade } from './${p.api}-facade';

declare module 'fastify' {
  interface FastifyInstance {
    /** The ${p.title}, on behalf of the request's end user. */
    ${p.camel}: ${p.pascal}Facade;
  }
}

/**
 * The one downstream of this Experience API, as \`app.${p.camel}\`: its client is created once with
 * this service's credential, registered in \`app.downstreams\` (breaker in /health/ready and
 * /metrics) and closed with the server.
 */
async function ${p.camel}Plugin(app: FastifyInstance, { config }: { config: ${n.pascal}Config }): Promise<void> {
  const client = ${downstreamClientExpression(n, process, 'PROCESS')};
  app.downstreams.add(client);
  app.addHook('onClose', async () => client.close());
  const lastGood = new LastGoodAnswers({ maxAgeMs: config.STALE_MAX_AGE_MS, maxEntries: config.STALE_MAX_ENTRIES });
  app.decorate('${p.camel}', new ${p.pascal}Facade(client, lastGood, config.UNAVAILABLE_RETRY_AFTER_S));
}

export const ${p.camel} = fp(${p.camel}Plugin, { name: '${p.name}', dependencies: ['platform'], fastify: '5.x' });
`,
    [`src/process/${p.api}-facade.ts`]: `import type { FastifyRequest } from 'fastify';
import type { ${p.pascal}Client } from '${p.clientsPackage}';
import type { ${r.pascal} } from '${p.contractsPackage}';
import { markStale, ServiceUnavailable, type LastGoodAnswers } from '@bartholomew/experience-kit';
import { DownstreamRejected, DownstreamUnavailable } from '@bartholomew/platform/http-client';
import { ${r.pascal}NotFound } from '../errors';

/**
 * The ${p.title} as this API's routes use it: always on behalf of the request's end user; its
 * 404 turned into this API's own; unavailability into the last good answer marked stale, or a
 * fast 503 with Retry-After. Routes never see a \`Downstream*\` error.
 */
export class ${p.pascal}Facade {
  constructor(
    private readonly client: ${p.pascal}Client,
    private readonly lastGood: LastGoodAnswers,
    private readonly defaultRetryAfterS: number,
  ) {}

  async get${r.pascal}(request: FastifyRequest, ${r.camel}Id: string): Promise<${r.pascal}> {
    const endUser = request.endUser.subject;
    const key = \`${r.kebab}:\${${r.camel}Id}\`;
    try {
      const value = await this.client.get${r.pascal}(${r.camel}Id, { endUser, requestId: request.id });
      this.lastGood.remember(endUser, key, value);
      return value;
    } catch (error) {
      if (error instanceof DownstreamRejected && error.status === 404) throw new ${r.pascal}NotFound(${r.camel}Id);
      if (!(error instanceof DownstreamUnavailable)) throw error;
      const last = this.lastGood.recall<${r.pascal}>(endUser, key);
      if (!last) throw this.unavailable(error);
      request.log.warn({ reason: error.message, ageMs: last.ageMs }, 'Process API unavailable: serving the last good answer, marked stale');
      markStale(request, last.ageMs);
      return last.value;
    }
  }

  /** 503 with Retry-After: the downstream's own estimate (breaker reset, its Retry-After) when known. */
  private unavailable(cause: DownstreamUnavailable): Error {
    const seconds = cause.retryAfterMs === undefined ? this.defaultRetryAfterS : Math.max(1, Math.ceil(cause.retryAfterMs / 1000));
    return Object.assign(new ServiceUnavailable(), { headers: { 'retry-after': String(seconds) }, cause });
  }
}
`,
    [`src/views/${r.kebab}-view.ts`]: `import type { ${r.pascal} } from '${p.contractsPackage}';
import type { ${r.pascal}View } from '${n.contractsPackage}';

/** What the app shows of a ${r.words}: its name, whether it is done, when it started — no internal ids of other systems. */
export function ${r.camel}View(${r.camel}: ${r.pascal}): ${r.pascal}View {
  return {
    id: ${r.camel}.${r.camel}Id,
    name: ${r.camel}.name,
    state: ${r.camel}.status === 'completed' ? 'done' : 'not_possible',
    startedAt: ${r.camel}.createdAt,
  };
}
`,
    [`src/routes/${r.plural}.ts`]: `import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ${r.pascal}ViewParamsSchema, ${r.pascal}ViewSchema, schemaRef } from '${n.contractsPackage}';
import { ProblemSchema, commonProblemResponses } from '@bartholomew/contracts-shared';
import { withStaleMarker } from '@bartholomew/experience-kit';
import { ${r.camel}View } from '../views/${r.kebab}-view';

/** The end user's ${r.plural.replace(/-/g, ' ')}, as their app shows them. */
export const ${r.camel}Routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/v1/${r.plural}/:${r.camel}Id',
    {
      schema: {
        operationId: 'get${r.pascal}View',
        summary: 'One of your ${r.plural.replace(/-/g, ' ')}',
        description: 'Someone else’s: 404. While the bank’s systems are unavailable, the last good answer marked \`stale\`, else 503 with Retry-After.',
        tags: ['${r.plural}'],
        params: ${r.pascal}ViewParamsSchema,
        response: { 200: schemaRef(${r.pascal}ViewSchema), ...commonProblemResponses, 404: ProblemSchema, 503: ProblemSchema },
      },
    },
    async (request) => withStaleMarker(request, ${r.camel}View(await app.${p.camel}.get${r.pascal}(request, request.params.${r.camel}Id))),
  );
};
`,
    'test/helper.ts': `import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type InjectOptions, type LightMyRequestResponse } from 'fastify';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { loadConfig, serviceServerOptions } from '@bartholomew/platform/server';
import { captureLogs, createTestDatabase } from '@bartholomew/testing';
import { ${p.camel}Api, ${p.pascal}ConfigSchema } from '${p.appPackage}';
import { ${n.camel}Api } from '../src/app';
import { ${n.pascal}ConfigSchema } from '../src/config';

const EXPERIENCE_SECRET = 'experience-secret-for-${n.base}-tests';

${apiBelowTestSource(
  process,
  `    ACCEPTED_CALLERS: \`${n.name}:experience:\${EXPERIENCE_SECRET}\`,
    SERVICE_CREDENTIAL_SECRET: 'process-secret-never-used-here',
    PII_ENCRYPTION_KEY: Buffer.alloc(32, 4).toString('base64'),
`,
)}
/** Seeds a ${r.words} of \`owner\` in the Process API's database (its System API is not running here) and answers its id. */
export async function seed${r.pascal}(processApi: RunningProcessApi, owner: string, name = 'Main'): Promise<string> {
  const { rows } = await processApi.app.db.query<{ id: string }>("${seedSql(r)}", [owner, randomUUID(), name]);
  return rows[0].id;
}

${testIssuerSource(n)}
export interface TestApp {
  app: FastifyInstance;
  /** Sends a request as end user \`as\` (a fresh valid token each time); \`as: null\` sends none. */
  call(options: InjectOptions & { as: string | null }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** The ${n.title} as main.ts builds it, calling the Process API at \`processUrl\`, trusting a test issuer's key. */
export async function buildTestApp(processUrl: string): Promise<TestApp> {
  const { jwks, token } = await testIssuer();
  const config = loadConfig(${n.pascal}ConfigSchema, {
    PORT: '0',
    LOG_LEVEL: 'info',
    PII_ENCRYPTION_KEY: Buffer.alloc(32, 8).toString('base64'),
    JWT_ISSUER: '${TEST_ISSUER}',
    JWT_AUDIENCE: '${n.name}',
    JWT_PUBLIC_KEYS: jwks,
    ${p.urlVariable}: processUrl,
    SERVICE_CREDENTIAL_SECRET: EXPERIENCE_SECRET,
    PROCESS_TIMEOUT_MS: '1000',
    RATE_LIMIT_PER_IP_PER_MINUTE: '1000000', // every injected request comes from 127.0.0.1
    RATE_LIMIT_PER_IP_BURST_PER_SECOND: '100000',
  });
  const app = Fastify(serviceServerOptions(config, { logStream: captureLogs().stream }));
  await app.register(${n.camel}Api, { config });
  await app.ready();
  return {
    app,
    call: async ({ as, headers, ...rest }) => app.inject({ ...rest, headers: { ...(as === null ? {} : { authorization: \`Bearer \${await token(as)}\` }), ...headers } }),
    close: () => app.close(),
  };
}

${problemTestHelpersSource}`,
    'test/config.spec.ts': `import { loadConfig } from '@bartholomew/platform/server';
import { ${n.pascal}ConfigSchema } from '../src/config';

const required = { JWT_ISSUER: 'http://127.0.0.1/issuer', JWT_AUDIENCE: '${n.name}', SERVICE_CREDENTIAL_SECRET: 'a-secret-of-16-chars-or-more' };

describe('${n.title} configuration', () => {
  it('listens on ${port} and calls the ${p.title} on its port unless told otherwise', () => {
    const config = loadConfig(${n.pascal}ConfigSchema, required);
    expect(config.PORT).toBe(${port});
    expect(config.${p.urlVariable}).toBe('http://127.0.0.1:${process.port}');
  });

  it('stops at start without the token issuer, naming it', () => {
    expect(() => loadConfig(${n.pascal}ConfigSchema, { ...required, JWT_ISSUER: undefined })).toThrow(/JWT_ISSUER/);
  });
});
`,
    [`test/routes/${r.plural}.spec.ts`]: `import { randomUUID } from 'node:crypto';
import { buildTestApp, expectProblem, seed${r.pascal}, startProcessApi, type RunningProcessApi, type TestApp } from '../helper';

describe('GET /v1/${r.plural}/{${r.camel}Id}, over the real ${p.title}', () => {
${overApiBelowSource(process, 'processApi', 'Each')}

  it('shows the end user their own ${r.words}, with an ETag that answers 304 when unchanged', async () => {
    const id = await seed${r.pascal}(processApi, 'user-ada', 'Main');
    const res = await test.call({ url: \`/v1/${r.plural}/\${id}\`, as: 'user-ada' });

    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id, name: 'Main', state: 'not_possible', startedAt: expect.any(String) });
    const again = await test.call({ url: \`/v1/${r.plural}/\${id}\`, as: 'user-ada', headers: { 'if-none-match': String(res.headers.etag) } });
    expect(again.statusCode).toBe(304);
  });

  it('answers 404 for another user’s ${r.words} and for one that does not exist', async () => {
    const id = await seed${r.pascal}(processApi, 'user-ada');
    expectProblem(await test.call({ url: \`/v1/${r.plural}/\${id}\`, as: 'user-mallory' }), 404, '${errorCode}');
    expectProblem(await test.call({ url: \`/v1/${r.plural}/\${randomUUID()}\`, as: 'user-ada' }), 404, '${errorCode}');
  });

  it('refuses a request without a bearer token with 401', async () => {
    const id = await seed${r.pascal}(processApi, 'user-ada');
    expect((await test.call({ url: \`/v1/${r.plural}/\${id}\`, as: null })).statusCode).toBe(401);
  });

  it('serves the last good answer marked stale while the Process API is down, and 503 with Retry-After when it has none', async () => {
    const seen = await seed${r.pascal}(processApi, 'user-ada', 'Seen');
    const unseen = await seed${r.pascal}(processApi, 'user-ada', 'Unseen');
    const first = await test.call({ url: \`/v1/${r.plural}/\${seen}\`, as: 'user-ada' });
    await processApi.close();

    const stale = await test.call({ url: \`/v1/${r.plural}/\${seen}\`, as: 'user-ada' });
    expect(stale.statusCode).toBe(200);
    expect(stale.headers['x-stale']).toBe('true');
    expect(stale.json()).toEqual({ ...first.json(), stale: true });

    const down = await test.call({ url: \`/v1/${r.plural}/\${unseen}\`, as: 'user-ada' });
    expectProblem(down, 503, 'SERVICE_UNAVAILABLE');
    expect(Number(down.headers['retry-after'])).toBeGreaterThan(0);
  });
});
`,
  };
}
