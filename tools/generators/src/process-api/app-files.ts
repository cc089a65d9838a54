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
  facadePluginFile,
  mainFile,
  migrationFiles,
  keyedWriteTestsSource,
  overApiBelowSource,
  problemTestHelpersSource,
  readmeFile,
  readyTestAppSource,
} from '../service-files.ts';

/** apps/<name>: bootstrap, config, the System API client, the first step, routes, tests against the real System API. */
export function processAppFiles(n: ServiceNames, r: ResourceNames, system: Downstream, port: number): Record<string, string> {
  const s = system.resource;
  const sys = system.names;
  const facade = r.pascalPlural;
  const decorator = r.camelPlural;
  const step = `create-${s.kebab}`;
  const stepFn = `runCreate${s.pascal}Step`;
  const createdColumn = `${s.kebab.replace(/-/g, '_')}_id`;
  return {
    '.env.example': envExampleFile(
      n,
      port,
      true,
      `# Callers this service accepts: comma-separated name:layer:secret (secret >= 16 characters).
# Experience-layer services and operators are served; System-layer callers get 403, unknown 401.
ACCEPTED_CALLERS=some-experience-api:experience:change-me-0123456789abcdef,operator:operator:change-me-three-0123456789

${callerEnvExample(n, system, 'DOWNSTREAM')}`,
    ),
    'README.md': readmeFile(n, port, {
      summary: `starts a ${r.words} for a customer; its first step
creates a ${s.words} at the ${sys.title} (\`${sys.urlVariable}\`) through \`${sys.clientsPackage}\`.
It accepts callers of the **experience** and **operator** layers only; an experience caller names
the end user it acts for in \`x-end-user-subject\`, who then sees only their own ${r.plural}.`,
      operations: [
        `| start${r.pascal} | \`POST /v1/${r.plural}\` + \`Idempotency-Key\` | 201 (+ \`location\`; replay: \`idempotent-replayed: true\`); \`status\` \`completed\` or \`failed\` (the System API refused: \`failureCode\`) | 400 END_USER_REQUIRED, 422 IDEMPOTENCY_KEY_REUSED, 503 (System API unavailable: nothing was stored, retry with the same key) |`,
        `| get${r.pascal} | \`GET /v1/${r.plural}/{${r.camel}Id}\` | 200 | 404 ${r.constant}_NOT_FOUND (also another user's) |`,
      ],
      notes: `**Idempotent end to end**: the System API call carries a key derived from the caller and its
\`Idempotency-Key\`, so a retried start never creates a second ${s.words}.
REVIEW: the step runs inside the start's transaction (one downstream call, bounded by
\`DOWNSTREAM_TIMEOUT_MS\`). A process with more steps, or steps that wait, moves them onto a durable
queue in its own database, as \`apps/onboarding-process-api\` does with graphile-worker.

`,
      generatedWith: `${n.base} --system=${sys.name}`,
      testNote: `The tests run the real ${sys.title} (its app plugin on its own port and database).`,
    }),
    'src/config.ts': configFile(n, port, {
      doc: `The ${n.title}'s environment: the platform's variables, the System API it calls, its own outbound credential.`,
      fields: callerConfigFields(n, system, 'DOWNSTREAM'),
    }),
    'src/main.ts': mainFile(n),
    'src/app.ts': appFile(n, {
      imports: [`import { ${n.camel}Schemas } from '${n.contractsPackage}';`],
      localImports: [
        `import { downstreams, type DownstreamOverrides } from './downstreams/downstreams-plugin';`,
        `import { migrations } from './migrations';`,
        `import { ${decorator} } from './plugins/${r.plural}-plugin';`,
        `import { ${r.camel}Routes } from './routes/${r.plural}';`,
      ],
      moreOptions: [{ name: 'overrides', type: 'DownstreamOverrides', doc: 'Test seam: replaces the System API client built from config.' }],
      doc: `The ${n.title}: starts ${r.plural} and runs their steps over the ${sys.title}. Accepts
 * experience-layer and operator callers.`,
      description: `Starts a ${r.words} for a customer and runs its steps over the ${sys.title}.`,
      tag: { name: r.plural, description: `${r.pascalPlural} and the outcome of their steps` },
      platformOptions: `    acceptedLayers: ['experience', 'operator'],
    migrations,
`,
      registrations: ['downstreams, { config, overrides }', decorator, `${r.camel}Routes`],
    }),
    'src/errors.ts': errorsFile(
      n,
      r,
      `The ${n.title}'s refusals, each with the stable code of the contract.`,
      `
/** An experience-layer caller must say which end user it acts for; operators need not. */
export const EndUserRequired = createError(${n.pascal}ProblemCode.END_USER_REQUIRED, 'An experience-layer caller must name its end user in x-end-user-subject', 400);
`,
    ),
    ...migrationFiles(
      n,
      r,
      `${r.pascalPlural} and the outcome of their first step; a completed one always names what it created.`,
      `CREATE TABLE ${r.table} (
  id            uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  owner         text        CHECK (length(owner) BETWEEN 1 AND 200),
  customer_id   uuid        NOT NULL,
  name          text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  status        text        NOT NULL CHECK (status IN ('completed', 'failed')),
  ${createdColumn} uuid,
  failure_code  text,
  created_at    timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT ${r.table}_completed_iff_created CHECK ((status = 'completed') = (${createdColumn} IS NOT NULL)),
  CONSTRAINT ${r.table}_failed_iff_code CHECK ((status = 'failed') = (failure_code IS NOT NULL))
);
CREATE INDEX ${r.table}_by_owner ON ${r.table} (owner, created_at, id);`,
    ),
    'src/downstreams/downstreams-plugin.ts': `import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Http${sys.pascal}Client, type ${sys.pascal}Client } from '${sys.clientsPackage}';
import type { ${n.pascal}Config } from '../config';

export interface DownstreamOverrides {
  ${sys.camel}?: ${sys.pascal}Client;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The ${sys.title}, only through its typed client. */
    ${sys.camel}: ${sys.pascal}Client;
  }
}

/**
 * Creates the System API client once, at start, with this service's own process-layer credential;
 * registers it with the platform (breaker state in /health/ready and /metrics) and closes it on shutdown.
 */
async function downstreamsPlugin(app: FastifyInstance, { config, overrides }: { config: ${n.pascal}Config; overrides?: DownstreamOverrides }): Promise<void> {
  const client = overrides?.${sys.camel} ?? ${downstreamClientExpression(n, system, 'DOWNSTREAM')};
  app.downstreams.add(client);
  app.decorate('${sys.camel}', client);
  app.addHook('onClose', async () => client.close());
}

export const downstreams = fp(downstreamsPlugin, { name: '${n.name}-downstreams', dependencies: ['platform'], fastify: '5.x' });
`,
    [`src/workflow/steps/${step}-step.ts`]: `import { createHash } from 'node:crypto';
import type { ${sys.pascal}Client } from '${sys.clientsPackage}';
import type { Start${r.pascal}Request } from '${n.contractsPackage}';
import { DownstreamRejected } from '@bartholomew/platform/http-client';

/** What the step needs: the System API's client, and the request id its call carries. */
export interface StepContext {
  ${sys.camel}: ${sys.pascal}Client;
  requestId: string;
}

/** The step's outcome. Transient faults (the System API unavailable) are thrown, not returned: nothing is stored, the caller retries. */
export type StepResult = { kind: 'succeeded'; ${s.camel}Id: string } | { kind: 'failed'; code: string };

/**
 * The System API's idempotency key for this step of this start: derived from who started it and
 * their Idempotency-Key, so a retried start (after a lost answer or a 503) never creates twice.
 */
export function downstreamKey(callerName: string, idempotencyKey: string): string {
  const digest = createHash('sha256').update(\`\${callerName}\\n\${idempotencyKey}\`).digest('base64url');
  return \`${n.base}:\${digest}:${step}\`;
}

/** \`${step}\`: creates the ${s.words} of the start at the ${sys.title}. A refusal fails the ${r.words}, with its code. */
export async function ${stepFn}(ctx: StepContext, request: Start${r.pascal}Request, key: string): Promise<StepResult> {
  try {
    const created = await ctx.${sys.camel}.create${s.pascal}({ customerId: request.customerId, name: request.name }, { idempotencyKey: key, requestId: ctx.requestId });
    return { kind: 'succeeded', ${s.camel}Id: created.${s.camel}Id };
  } catch (error) {
    if (error instanceof DownstreamRejected) return { kind: 'failed', code: typeof error.problem?.code === 'string' ? error.problem.code : \`HTTP_\${error.status}\` };
    throw error;
  }
}
`,
    [`src/${r.plural}/${r.plural}.ts`]: `import type { ${sys.pascal}Client } from '${sys.clientsPackage}';
import type { ${r.pascal}, Start${r.pascal}Request } from '${n.contractsPackage}';
import type { Database } from '@bartholomew/platform/db';
import { fingerprintRequest, withIdempotency, type IdempotentResult, type PiiVault } from '@bartholomew/platform/server';
import { ${r.pascal}NotFound } from '../errors';
import { downstreamKey, ${stepFn} } from '../workflow/steps/${step}-step';

/** Who asks: the calling service, and the end user it acts for (operators may act for nobody). */
export interface Requester {
  callerName: string;
  endUser: string | undefined;
  requestId: string;
}

interface ${r.pascal}Row {
  id: string;
  customer_id: string;
  name: string;
  status: 'completed' | 'failed';
  created_id: string | null;
  failure_code: string | null;
  created_at: Date;
}

const COLUMNS = 'id, customer_id, name, status, ${createdColumn} AS created_id, failure_code, created_at';
const to${r.pascal} = (row: ${r.pascal}Row): ${r.pascal} => ({
  ${r.camel}Id: row.id,
  customerId: row.customer_id,
  name: row.name,
  status: row.status,
  ...(row.created_id ? { ${s.camel}Id: row.created_id } : {}),
  ...(row.failure_code ? { failureCode: row.failure_code } : {}),
  createdAt: row.created_at.toISOString(),
});

/** The ${r.words} process, in the bank's words. Routes call this, never SQL or the System API. */
export class ${facade} {
  constructor(
    private readonly db: Database,
    private readonly pii: PiiVault,
    private readonly ${sys.camel}: ${sys.pascal}Client,
  ) {}

  /**
   * Starts a ${r.words} at most once per caller and idempotency key and runs its first step. The
   * step's System API call is keyed too, so a retry after a 503 or a lost answer is safe end to end.
   * REVIEW: the step runs inside this transaction; more steps belong on a durable queue.
   */
  start(request: Start${r.pascal}Request, requester: Requester, idempotencyKey: string): Promise<IdempotentResult<${r.pascal}>> {
    const requestHash = fingerprintRequest(this.pii, { endUser: requester.endUser ?? null, ...request });
    return withIdempotency(this.db, { scope: \`\${requester.callerName}:start-${r.kebab}\`, key: idempotencyKey, requestHash }, async (client) => {
      const outcome = await ${stepFn}({ ${sys.camel}: this.${sys.camel}, requestId: requester.requestId }, request, downstreamKey(requester.callerName, idempotencyKey));
      const { rows } = await client.query<${r.pascal}Row>(
        \`INSERT INTO ${r.table} (owner, customer_id, name, status, ${createdColumn}, failure_code) VALUES ($1, $2, $3, $4, $5, $6) RETURNING \${COLUMNS}\`,
        [
          requester.endUser ?? null,
          request.customerId,
          request.name,
          outcome.kind === 'succeeded' ? 'completed' : 'failed',
          outcome.kind === 'succeeded' ? outcome.${s.camel}Id : null,
          outcome.kind === 'failed' ? outcome.code : null,
        ],
      );
      return { statusCode: 201, body: to${r.pascal}(rows[0]) };
    });
  }

  /** One ${r.words}; an end user sees only their own (another's is not found, not forbidden: no existence leak). */
  async get(${r.camel}Id: string, requester: Requester): Promise<${r.pascal}> {
    const { rows } = await this.db.query<${r.pascal}Row>(\`SELECT \${COLUMNS} FROM ${r.table} WHERE id = $1 AND ($2::text IS NULL OR owner = $2)\`, [
      ${r.camel}Id,
      requester.endUser ?? null,
    ]);
    if (rows.length === 0) throw new ${r.pascal}NotFound(${r.camel}Id);
    return to${r.pascal}(rows[0]);
  }
}
`,
    [`src/plugins/${r.plural}-plugin.ts`]: facadePluginFile(r, {
      role: 'process',
      doc: `Decorates \`app.${decorator}\` over the platform's database, its PII vault (request fingerprints) and the System API client.`,
      constructorArgs: `app.db, app.pii, app.${sys.camel}`,
      dependencies: ['platform', `${n.name}-downstreams`],
    }),
    [`src/routes/${r.plural}.ts`]: `import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import {
  END_USER_HEADER,
  ReadHeadersSchema,
  ${r.pascal}ParamsSchema,
  ${r.pascal}Schema,
  Start${r.pascal}HeadersSchema,
  Start${r.pascal}RequestSchema,
  schemaRef,
} from '${n.contractsPackage}';
import { ProblemSchema, commonProblemResponses } from '@bartholomew/contracts-shared';
import { IDEMPOTENT_REPLY, sendIdempotentReply } from '@bartholomew/platform/server';
import { EndUserRequired } from '../errors';
import type { Requester } from '../${r.plural}/${r.plural}';

/** Who asks. Experience callers must name their end user; operators may, but need not. */
function requesterOf(request: FastifyRequest): Requester {
  const header = request.headers[END_USER_HEADER];
  const endUser = typeof header === 'string' ? header : undefined;
  if (request.caller.layer !== 'operator' && !endUser) throw new EndUserRequired();
  return { callerName: request.caller.name, endUser, requestId: request.id };
}

/** ${r.pascalPlural}: started once per idempotency key (running the first step), read back by their owner. */
export const ${r.camel}Routes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/v1/${r.plural}',
    {
      schema: {
        ...IDEMPOTENT_REPLY,
        operationId: 'start${r.pascal}',
        summary: 'Start a ${r.words} and run its first step (Idempotency-Key required)',
        tags: ['${r.plural}'],
        headers: Start${r.pascal}HeadersSchema,
        body: schemaRef(Start${r.pascal}RequestSchema),
        response: { 201: schemaRef(${r.pascal}Schema), ...commonProblemResponses, 422: ProblemSchema, 503: ProblemSchema },
      },
    },
    async (request, reply) => {
      const result = await app.${decorator}.start(request.body, requesterOf(request), request.headers['idempotency-key']);
      return sendIdempotentReply(reply, result, { location: \`/v1/${r.plural}/\${result.body.${r.camel}Id}\` });
    },
  );

  app.get(
    '/v1/${r.plural}/:${r.camel}Id',
    {
      schema: {
        operationId: 'get${r.pascal}',
        summary: 'Read one ${r.words} and the outcome of its steps',
        tags: ['${r.plural}'],
        headers: ReadHeadersSchema,
        params: ${r.pascal}ParamsSchema,
        response: { 200: schemaRef(${r.pascal}Schema), ...commonProblemResponses, 404: ProblemSchema },
      },
    },
    async (request) => app.${decorator}.get(request.params.${r.camel}Id, requesterOf(request)),
  );
};
`,
    'test/helper.ts': `import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type InjectOptions, type LightMyRequestResponse } from 'fastify';
import { loadConfig, serviceServerOptions } from '@bartholomew/platform/server';
import { captureLogs, createTestDatabase, type TestDatabase } from '@bartholomew/testing';
import { ${sys.camel}Api, ${sys.pascal}ConfigSchema } from '${sys.appPackage}';
import { ${n.camel}Api } from '../src/app';
import { ${n.pascal}ConfigSchema } from '../src/config';

/** This API's outbound secret, as the System API is told to accept it. */
export const PROCESS_SECRET = 'process-secret-for-${n.base}-tests';
const EXPERIENCE_SECRET = 'experience-secret-for-${n.base}-tests';
const OPERATOR_SECRET = 'operator-secret-for-${n.base}-tests';

export const callers = {
  experience: { 'x-service-credential': \`some-experience-api.\${EXPERIENCE_SECRET}\` },
  operator: { 'x-service-credential': \`${n.base}-operator.\${OPERATOR_SECRET}\` },
} as const;

${apiBelowTestSource(
  system,
  `    ACCEPTED_CALLERS: \`${n.name}:process:\${PROCESS_SECRET}\`,
    PII_ENCRYPTION_KEY: Buffer.alloc(32, 3).toString('base64'),
`,
)}
export interface TestApp {
  app: FastifyInstance;
  database: TestDatabase;
  /** Sends a request as an Experience API acting for end user \`as\` (\`null\`: names none), unless \`headers\` say otherwise. */
  call(options: InjectOptions & { as?: string | null }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** The ${n.title} as main.ts builds it, calling the System API at \`systemUrl\`, on a fresh database. */
export async function buildTestApp(systemUrl: string, env: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const config = loadConfig(${n.pascal}ConfigSchema, {
    PORT: '0',
    LOG_LEVEL: 'info',
    DATABASE_URL: database.url,
    ACCEPTED_CALLERS: [\`some-experience-api:experience:\${EXPERIENCE_SECRET}\`, \`${n.base}-operator:operator:\${OPERATOR_SECRET}\`].join(','),
    PII_ENCRYPTION_KEY: Buffer.alloc(32, 9).toString('base64'),
    ${sys.urlVariable}: systemUrl,
    SERVICE_CREDENTIAL_SECRET: PROCESS_SECRET,
    DOWNSTREAM_TIMEOUT_MS: '1000',
    ...env,
  });
${readyTestAppSource(n, 'captureLogs().stream')}
  return {
    app,
    database,
    call: ({ as = 'user-ada', headers, ...options }) =>
      app.inject({ ...options, headers: { ...callers.experience, ...(as === null ? {} : { 'x-end-user-subject': as }), ...headers } }),
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}

${problemTestHelpersSource}`,
    'test/config.spec.ts': `import { ConfigError, loadConfig } from '@bartholomew/platform/server';
import { ${n.pascal}ConfigSchema } from '../src/config';

const required = { ACCEPTED_CALLERS: '', SERVICE_CREDENTIAL_SECRET: 'a-secret-of-16-chars-or-more' };

describe('${n.title} configuration', () => {
  it('listens on ${port} and calls the ${sys.title} on its port unless told otherwise', () => {
    const config = loadConfig(${n.pascal}ConfigSchema, required);
    expect(config.PORT).toBe(${port});
    expect(config.${sys.urlVariable}).toBe('http://127.0.0.1:${system.port}');
  });

  it('stops at start without its outbound credential, or with a malformed one', () => {
    expect(() => loadConfig(${n.pascal}ConfigSchema, { ACCEPTED_CALLERS: '' })).toThrow(ConfigError);
    expect(() => loadConfig(${n.pascal}ConfigSchema, { ...required, SERVICE_CREDENTIAL_SECRET: 'short' })).toThrow(/SERVICE_CREDENTIAL_SECRET/);
  });
});
`,
    [`test/routes/${r.plural}.spec.ts`]: `import { randomUUID } from 'node:crypto';
import { buildTestApp, callers, expectProblem, newKey, startSystemApi, type RunningSystemApi, type TestApp } from '../helper';

describe('${r.words} routes, over the real ${sys.title}', () => {
${overApiBelowSource(system, 'system', 'All')}

  const request = (overrides: Partial<{ customerId: string; name: string }> = {}) => ({ customerId: randomUUID(), name: 'Main ${s.words}', ...overrides });
  const start = (payload: unknown, key: string = newKey(), as: string | null = 'user-ada') =>
    test.call({ method: 'POST', url: '/v1/${r.plural}', payload: payload as object, headers: { 'idempotency-key': key }, as });
  const createdAtSystem = async (customerId: string) =>
    (await system.app.db.query<{ n: number }>('SELECT count(*)::int AS n FROM ${s.table} WHERE customer_id = $1', [customerId])).rows[0].n;

  it('starts a ${r.words} whose first step creates the ${s.words} at the ${sys.title}', async () => {
    const body = request();
    const res = await start(body);

    expect(res.statusCode).toBe(201);
    const started = res.json();
    expect(started).toEqual({
      ${r.camel}Id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      ...body,
      status: 'completed',
      ${s.camel}Id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      createdAt: expect.any(String),
    });
    expect(res.headers.location).toBe(\`/v1/${r.plural}/\${started.${r.camel}Id}\`);
    const atSystem = await system.app.db.query('SELECT customer_id, name FROM ${s.table} WHERE id = $1', [started.${s.camel}Id]);
    expect(atSystem.rows).toEqual([{ customer_id: body.customerId, name: body.name }]);
  });

${keyedWriteTestsSource({
  what: s.words,
  send: 'start',
  freshBody: 'request()',
  countOf: (body) => `createdAtSystem(${body}.customerId)`,
  status: 201,
  concurrent: 10,
  indent: '  ',
})}
  it('refuses an experience caller that names no end user with 400 END_USER_REQUIRED', async () => {
    expectProblem(await start(request(), newKey(), null), 400, 'END_USER_REQUIRED');
  });

  it('shows a ${r.words} to its owner and to operators, and answers 404 to anyone else', async () => {
    const started = (await start(request())).json();
    const url = \`/v1/${r.plural}/\${started.${r.camel}Id}\`;

    expect((await test.call({ url })).json()).toEqual(started);
    expect((await test.call({ url, as: null, headers: callers.operator })).statusCode).toBe(200);
    expectProblem(await test.call({ url, as: 'user-mallory' }), 404, '${r.constant}_NOT_FOUND');
    expectProblem(await test.call({ url: \`/v1/${r.plural}/\${randomUUID()}\` }), 404, '${r.constant}_NOT_FOUND');
  });

  it('fails the ${r.words} with the System API’s code when it refuses the step', async () => {
    const misconfigured = await buildTestApp(system.baseUrl, { SERVICE_CREDENTIAL_SECRET: 'a-secret-the-system-api-does-not-know' });
    try {
      const res = await misconfigured.call({ method: 'POST', url: '/v1/${r.plural}', payload: request(), headers: { 'idempotency-key': newKey() } });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ status: 'failed', failureCode: 'UNAUTHENTICATED_CALLER' });
      expect(res.json()).not.toHaveProperty('${s.camel}Id');
    } finally {
      await misconfigured.close();
    }
  });

  it('answers 503 with Retry-After and stores nothing while the System API is unreachable, so the caller can retry', async () => {
    const unreachable = await buildTestApp('http://127.0.0.1:1');
    try {
      const res = await unreachable.call({ method: 'POST', url: '/v1/${r.plural}', payload: request(), headers: { 'idempotency-key': newKey() } });
      expect(res.statusCode).toBe(503);
      expect(res.headers['content-type']).toMatch(/^application\\/problem\\+json/);
      expect((await unreachable.app.db.query('SELECT 1 FROM ${r.table}')).rowCount).toBe(0);
      expect((await unreachable.app.db.query('SELECT 1 FROM idempotency_keys')).rowCount).toBe(0);
    } finally {
      await unreachable.close();
    }
  });
});
`,
  };
}
