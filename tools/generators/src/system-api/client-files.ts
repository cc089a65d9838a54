import type { ResourceNames, ServiceNames } from '../names.ts';
import { runningBundleFile } from '../running-bundle.ts';

/** libs/clients/<api>: the typed client over TypedServiceClient, tested against the running bundle. */
export function systemClientFiles(n: ServiceNames, r: ResourceNames): Record<string, string> {
  const file = `${n.api}-client`;
  return {
    'src/index.ts': `/** Typed client of the ${n.title}, for process-layer services. */
export {
  ${n.constant}_API,
  Http${n.pascal}Client,
  type ${n.pascal}Client,
  type ${n.pascal}ClientOptions,
  type CallOptions,
  type IdempotentCallOptions,
} from './${file}';
`,
    [`src/${file}.ts`]: `import {
  ${r.pascal}ListSchema,
  ${r.pascal}Schema,
  ${n.camel}Schemas,
  schemaRef,
  type Create${r.pascal}Request,
  type ${r.pascal},
} from '${n.contractsPackage}';
import { TypedServiceClient, urlPath, type DownstreamHealth, type ServiceClientCoreOptions } from '@bartholomew/platform/http-client';

/** The name the ${n.title} goes by in breakers, errors, health and metrics. */
export const ${n.constant}_API = '${n.name}';

/** Every call belongs to some work of the caller; its request id travels with the call. */
export interface CallOptions {
  requestId: string;
}

/**
 * Writes that create something carry the caller's idempotency key, chosen by the caller so that a
 * retry after a crash (not only a network retry) reuses it.
 */
export interface IdempotentCallOptions extends CallOptions {
  idempotencyKey: string;
}

/**
 * The ${n.title} as a process-layer service sees it. Refusals arrive as \`DownstreamRejected\`
 * with the problem \`code\` (see \`${n.pascal}ProblemCode\`); an unreachable or failing service as
 * \`DownstreamUnavailable\` / \`DownstreamTimeout\`.
 */
export interface ${n.pascal}Client extends DownstreamHealth {
  create${r.pascal}(request: Create${r.pascal}Request, options: IdempotentCallOptions): Promise<${r.pascal}>;
  get${r.pascal}(${r.camel}Id: string, options: CallOptions): Promise<${r.pascal}>;
  list${r.pascalPlural}OfCustomer(customerId: string, options: CallOptions): Promise<${r.pascal}[]>;
  /** Stops the breaker and closes the connection pool. */
  close(): Promise<void>;
}

export type ${n.pascal}ClientOptions = Omit<ServiceClientCoreOptions, 'name' | 'schemas'>;

// Module-level constants: the core compiles one validator per response schema object.
const ${r.constant}_CREATED = { 201: schemaRef(${r.pascal}Schema) } as const;
const ${r.constant} = { 200: schemaRef(${r.pascal}Schema) } as const;
const ${r.constant}_LIST = { 200: schemaRef(${r.pascal}ListSchema) } as const;

/**
 * \`${n.pascal}Client\` over the platform's \`ServiceClientCore\`: one call per operation, answers
 * validated against the contract. Resilience (breaker, timeouts, retries of reads and keyed writes)
 * lives in the core, not here.
 * Made by @bartholomew/generators:system-api (the process and experience generators read this line).
 */
export class Http${n.pascal}Client extends TypedServiceClient implements ${n.pascal}Client {
  constructor(options: ${n.pascal}ClientOptions) {
    super(${n.constant}_API, { ...options, schemas: ${n.camel}Schemas });
  }

  async create${r.pascal}(request: Create${r.pascal}Request, options: IdempotentCallOptions): Promise<${r.pascal}> {
    const answer = await this.core.request({ method: 'POST', path: '/v1/${r.plural}', body: request, responses: ${r.constant}_CREATED, ...options });
    return answer.body;
  }

  async get${r.pascal}(${r.camel}Id: string, options: CallOptions): Promise<${r.pascal}> {
    const answer = await this.core.request({ method: 'GET', path: urlPath\`/v1/${r.plural}/\${${r.camel}Id}\`, responses: ${r.constant}, ...options });
    return answer.body;
  }

  async list${r.pascalPlural}OfCustomer(customerId: string, options: CallOptions): Promise<${r.pascal}[]> {
    const answer = await this.core.request({ method: 'GET', path: '/v1/${r.plural}', query: { customerId }, responses: ${r.constant}_LIST, ...options });
    return answer.body.items;
  }
}
`,
    'test/running-bundle.ts': runningBundleFile,
    [`test/${file}.spec.ts`]: `import { randomUUID } from 'node:crypto';
import { ${n.pascal}ProblemCode } from '${n.contractsPackage}';
import { DownstreamRejected, DownstreamUnavailable } from '@bartholomew/platform/http-client';
import { createTestDatabase, type TestDatabase } from '@bartholomew/testing';
import { Http${n.pascal}Client } from '../src';
import { startBundle, type RunningService } from './running-bundle';

const CALLER = { callerName: 'some-process-api', secret: 'process-secret-for-client-tests' };

describe('Http${n.pascal}Client against the running ${n.title}', () => {
  let database: TestDatabase;
  let api: RunningService;
  let client: Http${n.pascal}Client;
  beforeAll(async () => {
    database = await createTestDatabase();
    api = await startBundle('${n.name}', {
      DATABASE_URL: database.url,
      ACCEPTED_CALLERS: \`\${CALLER.callerName}:process:\${CALLER.secret}\`,
      PII_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString('base64'),
    });
    client = new Http${n.pascal}Client({ baseUrl: api.baseUrl, credential: CALLER, timeoutMs: 5_000 });
  });
  afterAll(async () => {
    await client?.close();
    await api?.stop();
    await database?.drop();
  });

  const call = () => ({ requestId: \`client-test-\${randomUUID()}\` });
  const write = () => ({ ...call(), idempotencyKey: \`client-test-\${randomUUID()}\` });

  it('creates a ${r.words}, reads it back and lists it for its customer', async () => {
    const customerId = randomUUID();
    const created = await client.create${r.pascal}({ customerId, name: 'Main ${r.words}' }, write());

    expect(created).toMatchObject({ customerId, name: 'Main ${r.words}' });
    expect(await client.get${r.pascal}(created.${r.camel}Id, call())).toEqual(created);
    expect(await client.list${r.pascalPlural}OfCustomer(customerId, call())).toEqual([created]);
  });

  it('answers the first ${r.words} again when a create is repeated with its idempotency key', async () => {
    const request = { customerId: randomUUID(), name: 'Main ${r.words}' };
    const options = write();
    const first = await client.create${r.pascal}(request, options);

    expect(await client.create${r.pascal}(request, { ...options, requestId: \`client-test-\${randomUUID()}\` })).toEqual(first);
    expect(await client.list${r.pascalPlural}OfCustomer(request.customerId, call())).toHaveLength(1);
  });

  it('turns a 404 into DownstreamRejected with the contract’s code', async () => {
    const error = await client.get${r.pascal}(randomUUID(), call()).catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(DownstreamRejected);
    expect((error as DownstreamRejected).problem?.code).toBe(${n.pascal}ProblemCode.${r.constant}_NOT_FOUND);
  });

  it('reports a service nobody listens on as DownstreamUnavailable', async () => {
    const nowhere = new Http${n.pascal}Client({ baseUrl: 'http://127.0.0.1:1', credential: CALLER, timeoutMs: 1_000 });
    try {
      await expect(nowhere.get${r.pascal}(randomUUID(), call())).rejects.toBeInstanceOf(DownstreamUnavailable);
    } finally {
      await nowhere.close();
    }
  });
});
`,
  };
}
