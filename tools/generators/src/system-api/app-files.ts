import type { ResourceNames, ServiceNames } from '../names.ts';
import {
  appFile,
  configFile,
  envExampleFile,
  errorsFile,
  facadePluginFile,
  mainFile,
  migrationFiles,
  keyedWriteTestsSource,
  problemTestHelpersSource,
  readmeFile,
  readyTestAppSource,
} from '../service-files.ts';

/** apps/<name>: bootstrap, config, migration, the resource's facade and routes, and tests against PostgreSQL. */
export function systemAppFiles(n: ServiceNames, r: ResourceNames, port: number): Record<string, string> {
  const facade = r.pascalPlural;
  const decorator = r.camelPlural;
  return {
    '.env.example': envExampleFile(
      n,
      port,
      true,
      `# Callers this API accepts: comma-separated name:layer:secret (secret >= 16 chars, no ',' or ':').
# Only the process and operator layers are served; others get 403, unknown credentials 401.
ACCEPTED_CALLERS=some-process-api:process:change-me-process-secret,${n.base}-ops-console:operator:change-me-operator-secret
`,
    ),
    'README.md': readmeFile(n, port, {
      summary: `${r.words} records over its own database. No business
process lives here and it calls no other API. It accepts callers of the **process** and
**operator** layers only (\`x-service-credential\`); anonymous or unknown callers get 401, other layers 403.`,
      operations: [
        `| create${r.pascal} | \`POST /v1/${r.plural}\` + \`Idempotency-Key\` | 201 (+ \`location\`; replay: \`idempotent-replayed: true\`) | 422 IDEMPOTENCY_KEY_REUSED |`,
        `| get${r.pascal} | \`GET /v1/${r.plural}/{${r.camel}Id}\` | 200 | 404 ${r.constant}_NOT_FOUND |`,
        `| list${r.pascalPlural}OfCustomer | \`GET /v1/${r.plural}?customerId=\` | 200 | |`,
      ],
      generatedWith: n.base,
    }),
    'src/config.ts': configFile(n, port, { doc: `The ${n.title}'s environment: the platform's variables, on its own port.` }),
    'src/main.ts': mainFile(n),
    'src/app.ts': appFile(n, {
      imports: [`import { ${n.camel}Schemas } from '${n.contractsPackage}';`],
      localImports: [
        `import { migrations } from './migrations';`,
        `import { ${decorator} } from './plugins/${r.plural}-plugin';`,
        `import { ${r.camel}Routes } from './routes/${r.plural}';`,
      ],
      doc: `The ${n.title}: hides its database behind a stable contract. Process-layer services and
 * operators may call it; nothing else.`,
      description: `${r.pascal} records of Bartholomew Capital customers.`,
      tag: { name: r.plural, description: `The ${r.words} records of customers` },
      platformOptions: `    acceptedLayers: ['process', 'operator'],
    migrations,
`,
      registrations: [decorator, `${r.camel}Routes`],
    }),
    'src/errors.ts': errorsFile(
      n,
      r,
      `The ${n.title}'s refusals, each with the stable code of the contract; the platform's error\nhandler answers them as problem+json.`,
    ),
    ...migrationFiles(
      n,
      r,
      `The ${r.words} records, with the invariants in the schema too (CHECKs), so no code path can write
 * a row the API would refuse; and the idempotency keys of its keyed writes.`,
      `CREATE TABLE ${r.table} (
  id          uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
  customer_id uuid        NOT NULL,
  name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 100 AND name ~ '\\\\S'),
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ${r.table}_by_customer ON ${r.table} (customer_id, created_at, id);`,
    ),
    [`src/${r.plural}/${r.plural}.ts`]: `import type { Create${r.pascal}Request, ${r.pascal} } from '${n.contractsPackage}';
import type { Database } from '@bartholomew/platform/db';
import { fingerprintRequest, withIdempotency, type IdempotentResult, type PiiVault } from '@bartholomew/platform/server';
import { ${r.pascal}NotFound } from '../errors';

/** Who asked for an idempotent write, and with which \`Idempotency-Key\`. */
export interface IdempotentWrite {
  callerName: string;
  idempotencyKey: string;
}

interface ${r.pascal}Row {
  id: string;
  customer_id: string;
  name: string;
  created_at: Date;
}

const COLUMNS = 'id, customer_id, name, created_at';
const to${r.pascal} = (row: ${r.pascal}Row): ${r.pascal} => ({
  ${r.camel}Id: row.id,
  customerId: row.customer_id,
  name: row.name,
  createdAt: row.created_at.toISOString(),
});

/** What the ${n.title} can do with ${r.words} records, in the bank's words. Routes call this, never SQL. */
export class ${facade} {
  constructor(
    private readonly db: Database,
    private readonly pii: PiiVault,
  ) {}

  /** Creates a ${r.words} at most once per caller and idempotency key (replays answer the first result). */
  create(request: Create${r.pascal}Request, write: IdempotentWrite): Promise<IdempotentResult<${r.pascal}>> {
    return withIdempotency(
      this.db,
      { scope: \`\${write.callerName}:create-${r.kebab}\`, key: write.idempotencyKey, requestHash: fingerprintRequest(this.pii, request) },
      async (client) => {
        const { rows } = await client.query<${r.pascal}Row>(\`INSERT INTO ${r.table} (customer_id, name) VALUES ($1, $2) RETURNING \${COLUMNS}\`, [
          request.customerId,
          request.name,
        ]);
        return { statusCode: 201, body: to${r.pascal}(rows[0]) };
      },
    );
  }

  async get(${r.camel}Id: string): Promise<${r.pascal}> {
    const { rows } = await this.db.query<${r.pascal}Row>(\`SELECT \${COLUMNS} FROM ${r.table} WHERE id = $1\`, [${r.camel}Id]);
    if (rows.length === 0) throw new ${r.pascal}NotFound(${r.camel}Id);
    return to${r.pascal}(rows[0]);
  }

  async listOfCustomer(customerId: string): Promise<${r.pascal}[]> {
    const { rows } = await this.db.query<${r.pascal}Row>(\`SELECT \${COLUMNS} FROM ${r.table} WHERE customer_id = $1 ORDER BY created_at, id\`, [customerId]);
    return rows.map(to${r.pascal});
  }
}
`,
    [`src/plugins/${r.plural}-plugin.ts`]: facadePluginFile(r, {
      role: 'facade',
      doc: `Decorates \`app.${decorator}\` over the platform's database and PII vault (which keys request fingerprints).`,
      constructorArgs: 'app.db, app.pii',
      dependencies: ['platform'],
    }),
    [`src/routes/${r.plural}.ts`]: `import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  Create${r.pascal}RequestSchema,
  ${r.pascal}ListSchema,
  ${r.pascal}ParamsSchema,
  ${r.pascal}Schema,
  ${r.pascalPlural}ByCustomerQuerySchema,
  schemaRef,
} from '${n.contractsPackage}';
import { IdempotentWriteHeadersSchema, ProblemSchema, commonProblemResponses } from '@bartholomew/contracts-shared';
import { IDEMPOTENT_REPLY, sendIdempotentReply } from '@bartholomew/platform/server';

/** ${r.pascal} records: created once per idempotency key, read by id, listed per customer. */
export const ${r.camel}Routes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/v1/${r.plural}',
    {
      schema: {
        ...IDEMPOTENT_REPLY,
        operationId: 'create${r.pascal}',
        summary: 'Create a ${r.words} for a customer (Idempotency-Key required)',
        tags: ['${r.plural}'],
        headers: IdempotentWriteHeadersSchema,
        body: schemaRef(Create${r.pascal}RequestSchema),
        response: { 201: schemaRef(${r.pascal}Schema), ...commonProblemResponses, 422: ProblemSchema },
      },
    },
    async (request, reply) => {
      const result = await app.${decorator}.create(request.body, { callerName: request.caller.name, idempotencyKey: request.headers['idempotency-key'] });
      return sendIdempotentReply(reply, result, { location: \`/v1/${r.plural}/\${result.body.${r.camel}Id}\` });
    },
  );

  app.get(
    '/v1/${r.plural}',
    {
      schema: {
        operationId: 'list${r.pascalPlural}OfCustomer',
        summary: 'List the ${r.words} records of one customer, oldest first',
        tags: ['${r.plural}'],
        querystring: ${r.pascalPlural}ByCustomerQuerySchema,
        response: { 200: schemaRef(${r.pascal}ListSchema), ...commonProblemResponses },
      },
    },
    async (request) => ({ items: await app.${decorator}.listOfCustomer(request.query.customerId) }),
  );

  app.get(
    '/v1/${r.plural}/:${r.camel}Id',
    {
      schema: {
        operationId: 'get${r.pascal}',
        summary: 'Read one ${r.words}',
        tags: ['${r.plural}'],
        params: ${r.pascal}ParamsSchema,
        response: { 200: schemaRef(${r.pascal}Schema), ...commonProblemResponses, 404: ProblemSchema },
      },
    },
    async (request) => app.${decorator}.get(request.params.${r.camel}Id),
  );
};
`,
    'test/helper.ts': systemTestHelper(n),
    'test/config.spec.ts': `import { ConfigError, loadConfig } from '@bartholomew/platform/server';
import { ${n.pascal}ConfigSchema } from '../src/config';

describe('${n.title} configuration', () => {
  it('listens on ${port} unless told otherwise', () => {
    expect(loadConfig(${n.pascal}ConfigSchema, { ACCEPTED_CALLERS: '' }).PORT).toBe(${port});
    expect(loadConfig(${n.pascal}ConfigSchema, { ACCEPTED_CALLERS: '', PORT: '4999' }).PORT).toBe(4999);
  });

  it('stops at start naming a malformed variable', () => {
    expect(() => loadConfig(${n.pascal}ConfigSchema, { ACCEPTED_CALLERS: 'some-process-api:process:short' })).toThrow(ConfigError);
    expect(() => loadConfig(${n.pascal}ConfigSchema, { ACCEPTED_CALLERS: '', DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL is invalid/);
  });
});
`,
    'test/app.spec.ts': `import { buildTestApp, callers, expectProblem, type TestApp } from './helper';

describe('${n.title}', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await buildTestApp();
  });
  afterAll(() => test.close());

  const anyCustomer = '/v1/${r.plural}?customerId=5f0c8a9e-4a8e-4e7b-9d3c-3f1d2b6a7c10';

  describe('callers', () => {
    it('refuses an anonymous caller with 401', async () => {
      expectProblem(await test.app.inject({ url: anyCustomer }), 401, 'UNAUTHENTICATED_CALLER');
    });

    it('refuses a credential with a wrong secret with 401', async () => {
      const res = await test.app.inject({ url: anyCustomer, headers: { 'x-service-credential': 'some-process-api.not-the-right-secret' } });
      expectProblem(res, 401, 'UNAUTHENTICATED_CALLER');
    });

    it('refuses an experience-layer caller with 403, even on writes', async () => {
      expectProblem(await test.app.inject({ url: anyCustomer, headers: callers.experience }), 403, 'CALLER_NOT_ALLOWED');
      const write = await test.app.inject({
        method: 'POST',
        url: '/v1/${r.plural}',
        headers: { ...callers.experience, 'idempotency-key': 'experience-key-1' },
        payload: {},
      });
      expectProblem(write, 403, 'CALLER_NOT_ALLOWED');
    });

    it('serves process-layer and operator callers', async () => {
      expect((await test.app.inject({ url: anyCustomer, headers: callers.process })).statusCode).toBe(200);
      expect((await test.app.inject({ url: anyCustomer, headers: callers.operator })).statusCode).toBe(200);
    });
  });

  describe('operations', () => {
    it('is ready once its database is migrated', async () => {
      expect((await test.app.inject({ url: '/health/ready' })).statusCode).toBe(200);
    });

    it('answers an unknown route with a 404 problem', async () => {
      expectProblem(await test.call({ url: '/v1/nothing-here' }), 404, 'ROUTE_NOT_FOUND');
    });

    it('publishes every operation in OpenAPI with an id, a summary, a tag and its problem answers', async () => {
      const doc = (await test.app.inject({ url: '/openapi.json' })).json();
      const operations = Object.values(doc.paths as Record<string, Record<string, Record<string, unknown>>>).flatMap((methods) => Object.values(methods));
      expect(operations.map((operation) => operation.operationId).sort()).toEqual(['create${r.pascal}', 'get${r.pascal}', 'list${r.pascalPlural}OfCustomer']);
      for (const operation of operations) {
        expect(operation).toMatchObject({ summary: expect.any(String), tags: [expect.any(String)] });
        expect(Object.keys(operation.responses as object)).toEqual(expect.arrayContaining(['400', '401', '403', '500']));
      }
      expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['${r.pascal}', '${r.pascal}List', 'Create${r.pascal}Request']));
      // A replayed create is told apart by a header its contract declares (the platform's IDEMPOTENT_REPLY).
      expect(doc.paths['/v1/${r.plural}'].post.responses['201'].headers).toHaveProperty('Idempotent-Replayed');
    });
  });
});
`,
    [`test/routes/${r.plural}.spec.ts`]: `import { randomUUID } from 'node:crypto';
import { buildTestApp, callers, expectProblem, newKey, type TestApp } from '../helper';

describe('${r.words} routes', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await buildTestApp();
  });
  afterAll(() => test.close());

  const creation = (overrides: Partial<{ customerId: string; name: string }> = {}) => ({ customerId: randomUUID(), name: 'Main ${r.words}', ...overrides });
  const create = (payload: unknown, key: string = newKey(), headers: Record<string, string> = {}) =>
    test.call({ method: 'POST', url: '/v1/${r.plural}', payload: payload as object, headers: { 'idempotency-key': key, ...headers } });
  const countOfCustomer = async (customerId: string) =>
    (await test.app.db.query<{ n: number }>('SELECT count(*)::int AS n FROM ${r.table} WHERE customer_id = $1', [customerId])).rows[0].n;

  describe('POST /v1/${r.plural}', () => {
    it('creates a ${r.words} and says where it lives', async () => {
      const request = creation();
      const res = await create(request);

      expect(res.statusCode).toBe(201);
      const created = res.json();
      expect(created).toEqual({ ${r.camel}Id: expect.stringMatching(/^[0-9a-f-]{36}$/), ...request, createdAt: expect.any(String) });
      expect(res.headers.location).toBe(\`/v1/${r.plural}/\${created.${r.camel}Id}\`);
      expect(res.headers['idempotent-replayed']).toBeUndefined();
      expect(await countOfCustomer(request.customerId)).toBe(1);
    });

${keyedWriteTestsSource({
  what: r.words,
  send: 'create',
  freshBody: 'creation()',
  countOf: (body) => `countOfCustomer(${body}.customerId)`,
  status: 201,
  concurrent: 20,
  indent: '    ',
})}
    it('keeps idempotency keys apart per caller: another caller’s identical key is a new request', async () => {
      const key = newKey();
      const first = await create(creation(), key);
      const other = await create(creation(), key, callers.operator);

      expect(other.statusCode).toBe(201);
      expect(other.json().${r.camel}Id).not.toBe(first.json().${r.camel}Id);
    });

    it.each([
      ['a blank name', { name: '  ' }],
      ['a missing customer', { customerId: undefined }],
      ['a customer id that is not a UUID', { customerId: 'customer-1' }],
      ['an unknown field', { colour: 'blue' }],
    ])('answers 400 VALIDATION_FAILED for %s', async (_label, change) => {
      expectProblem(await create({ ...creation(), ...change }), 400, 'VALIDATION_FAILED');
    });

    it('answers 400 without an Idempotency-Key', async () => {
      expectProblem(await test.call({ method: 'POST', url: '/v1/${r.plural}', payload: creation() }), 400, 'VALIDATION_FAILED');
    });
  });

  describe('GET /v1/${r.plural}/{${r.camel}Id}', () => {
    it('reads a ${r.words} back as it was created', async () => {
      const created = (await create(creation())).json();
      const res = await test.call({ url: \`/v1/${r.plural}/\${created.${r.camel}Id}\` });

      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual(created);
    });

    it('answers 404 ${r.constant}_NOT_FOUND for an id it does not hold', async () => {
      expectProblem(await test.call({ url: \`/v1/${r.plural}/\${randomUUID()}\` }), 404, '${r.constant}_NOT_FOUND');
    });

    it('answers 400 for an id that is not a canonical UUID, never 500', async () => {
      expectProblem(await test.call({ url: \`/v1/${r.plural}/urn:uuid:\${randomUUID()}\` }), 400, 'VALIDATION_FAILED');
    });
  });

  describe('GET /v1/${r.plural}?customerId=', () => {
    it('lists the ${r.words} records of that customer only, oldest first', async () => {
      const customerId = randomUUID();
      const first = (await create(creation({ customerId, name: 'first' }))).json();
      const second = (await create(creation({ customerId, name: 'second' }))).json();
      await create(creation());

      const res = await test.call({ url: \`/v1/${r.plural}?customerId=\${customerId}\` });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ items: [first, second] });
    });

    it('answers 400 without a customer', async () => {
      expectProblem(await test.call({ url: '/v1/${r.plural}' }), 400, 'VALIDATION_FAILED');
    });
  });
});
`,
  };
}

function systemTestHelper(n: ServiceNames): string {
  return `import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type InjectOptions, type LightMyRequestResponse } from 'fastify';
import { loadConfig, serviceServerOptions } from '@bartholomew/platform/server';
import { captureLogs, createTestDatabase, type CapturedLogs, type TestDatabase } from '@bartholomew/testing';
import { ${n.camel}Api } from '../src/app';
import { ${n.pascal}ConfigSchema } from '../src/config';

const PROCESS_SECRET = 'process-secret-for-${n.base}-tests';
const OPERATOR_SECRET = 'operator-secret-for-${n.base}-tests';
const EXPERIENCE_SECRET = 'experience-secret-for-${n.base}-tests';

/** Credential headers of the callers the test app knows: one per layer that matters here. */
export const callers = {
  process: { 'x-service-credential': \`some-process-api.\${PROCESS_SECRET}\` },
  operator: { 'x-service-credential': \`${n.base}-ops-console.\${OPERATOR_SECRET}\` },
  experience: { 'x-service-credential': \`some-experience-api.\${EXPERIENCE_SECRET}\` },
} as const;

export interface TestApp {
  app: FastifyInstance;
  logs: CapturedLogs;
  database: TestDatabase;
  /** Sends a request as a process-layer caller, unless \`headers\` say otherwise. */
  call(options: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** The ${n.title} as main.ts builds it, on a fresh database of its own, logs captured. */
export async function buildTestApp(): Promise<TestApp> {
  const database = await createTestDatabase();
  const logs = captureLogs();
  const config = loadConfig(${n.pascal}ConfigSchema, {
    PORT: '0',
    LOG_LEVEL: 'info',
    DATABASE_URL: database.url,
    ACCEPTED_CALLERS: [
      \`some-process-api:process:\${PROCESS_SECRET}\`,
      \`${n.base}-ops-console:operator:\${OPERATOR_SECRET}\`,
      \`some-experience-api:experience:\${EXPERIENCE_SECRET}\`,
    ].join(','),
    PII_ENCRYPTION_KEY: Buffer.alloc(32, 11).toString('base64'),
  });
${readyTestAppSource(n, 'logs.stream')}
  return {
    app,
    logs,
    database,
    call: (options) => app.inject({ ...options, headers: { ...callers.process, ...options.headers } }),
    close: async () => {
      await app.close();
      await database.drop();
    },
  };
}

${problemTestHelpersSource}`;
}
