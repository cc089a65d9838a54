import type { Downstream } from '../downstream.ts';
import type { ResourceNames, ServiceNames } from '../names.ts';
import { runningBundleFile } from '../running-bundle.ts';

/** libs/clients/<api>: the typed client Experience APIs use, tested against the running bundles. */
export function processClientFiles(n: ServiceNames, r: ResourceNames, system: Downstream): Record<string, string> {
  const file = `${n.api}-client`;
  return {
    'src/index.ts': `/** Typed client of the ${n.title}, for experience-layer services. */
export { ${n.constant}_API, Http${n.pascal}Client, type ${n.pascal}Client, type ${n.pascal}ClientOptions, type EndUserCallOptions, type StartOptions } from './${file}';
`,
    [`src/${file}.ts`]: `import {
  END_USER_HEADER,
  ${r.pascal}Schema,
  ${n.camel}Schemas,
  schemaRef,
  type ${r.pascal},
  type Start${r.pascal}Request,
} from '${n.contractsPackage}';
import { TypedServiceClient, urlPath, type DownstreamHealth, type ServiceClientCoreOptions } from '@bartholomew/platform/http-client';

/** The name the ${n.title} goes by in breakers, errors, health and metrics. */
export const ${n.constant}_API = '${n.name}';

/** Every call is made for one end user (the subject of their verified token) within some request of ours. */
export interface EndUserCallOptions {
  requestId: string;
  /** The end user's identity, e.g. the \`sub\` of their verified JWT. Never taken from a request body. */
  endUser: string;
}

export interface StartOptions extends EndUserCallOptions {
  /** The end user's own Idempotency-Key (from their app), so a retried tap never starts twice. */
  idempotencyKey: string;
}

/**
 * The ${n.title} as an experience-layer service sees it. Refusals arrive as \`DownstreamRejected\`
 * with the problem \`code\`; an unreachable or failing service as \`DownstreamUnavailable\`.
 */
export interface ${n.pascal}Client extends DownstreamHealth {
  start${r.pascal}(request: Start${r.pascal}Request, options: StartOptions): Promise<${r.pascal}>;
  get${r.pascal}(${r.camel}Id: string, options: EndUserCallOptions): Promise<${r.pascal}>;
  close(): Promise<void>;
}

export type ${n.pascal}ClientOptions = Omit<ServiceClientCoreOptions, 'name' | 'schemas'>;

const ${r.constant}_STARTED = { 201: schemaRef(${r.pascal}Schema) } as const;
const ${r.constant} = { 200: schemaRef(${r.pascal}Schema) } as const;
const asEndUser = ({ endUser, ...options }: EndUserCallOptions) => ({ ...options, headers: { [END_USER_HEADER]: endUser } });

/**
 * \`${n.pascal}Client\` over the platform's \`ServiceClientCore\`; resilience lives in the core.
 * Made by @bartholomew/generators:process-api (the process and experience generators read this line).
 */
export class Http${n.pascal}Client extends TypedServiceClient implements ${n.pascal}Client {
  constructor(options: ${n.pascal}ClientOptions) {
    super(${n.constant}_API, { ...options, schemas: ${n.camel}Schemas });
  }

  async start${r.pascal}(request: Start${r.pascal}Request, { idempotencyKey, ...options }: StartOptions): Promise<${r.pascal}> {
    const answer = await this.core.request({ method: 'POST', path: '/v1/${r.plural}', body: request, idempotencyKey, responses: ${r.constant}_STARTED, ...asEndUser(options) });
    return answer.body;
  }

  async get${r.pascal}(${r.camel}Id: string, options: EndUserCallOptions): Promise<${r.pascal}> {
    const answer = await this.core.request({ method: 'GET', path: urlPath\`/v1/${r.plural}/\${${r.camel}Id}\`, responses: ${r.constant}, ...asEndUser(options) });
    return answer.body;
  }
}
`,
    'test/running-bundle.ts': runningBundleFile,
    [`test/${file}.spec.ts`]: `import { randomUUID } from 'node:crypto';
import { ${n.pascal}ProblemCode } from '${n.contractsPackage}';
import { DownstreamRejected } from '@bartholomew/platform/http-client';
import { createTestDatabase, type TestDatabase } from '@bartholomew/testing';
import { Http${n.pascal}Client } from '../src';
import { startBundle, type RunningService } from './running-bundle';

const CALLER = { callerName: 'some-experience-api', secret: 'experience-secret-for-client-tests' };
const PROCESS_SECRET = 'process-secret-for-client-tests';

describe('Http${n.pascal}Client against the running ${n.title} and ${system.names.title}', () => {
  const databases: TestDatabase[] = [];
  const services: RunningService[] = [];
  let client: Http${n.pascal}Client;
  beforeAll(async () => {
    const [systemDb, processDb] = [await createTestDatabase(), await createTestDatabase()];
    databases.push(systemDb, processDb);
    const system = await startBundle('${system.names.name}', {
      DATABASE_URL: systemDb.url,
      ACCEPTED_CALLERS: \`${n.name}:process:\${PROCESS_SECRET}\`,
      PII_ENCRYPTION_KEY: Buffer.alloc(32, 5).toString('base64'),
    });
    services.push(system);
    services.push(
      await startBundle('${n.name}', {
        DATABASE_URL: processDb.url,
        ACCEPTED_CALLERS: \`\${CALLER.callerName}:experience:\${CALLER.secret}\`,
        PII_ENCRYPTION_KEY: Buffer.alloc(32, 6).toString('base64'),
        SERVICE_CREDENTIAL_SECRET: PROCESS_SECRET,
        ${system.names.urlVariable}: system.baseUrl,
      }),
    );
    client = new Http${n.pascal}Client({ baseUrl: services[1].baseUrl, credential: CALLER, timeoutMs: 5_000 });
  });
  afterAll(async () => {
    await client?.close();
    for (const service of services.reverse()) await service.stop();
    for (const database of databases) await database.drop();
  });

  const call = (endUser = 'user-ada') => ({ requestId: \`client-test-\${randomUUID()}\`, endUser });

  it('starts a ${r.words} for an end user, once per idempotency key, and reads it back', async () => {
    const request = { customerId: randomUUID(), name: 'Main' };
    const options = { ...call(), idempotencyKey: \`client-test-\${randomUUID()}\` };
    const started = await client.start${r.pascal}(request, options);

    expect(started).toMatchObject({ ...request, status: 'completed' });
    expect(await client.start${r.pascal}(request, options)).toEqual(started);
    expect(await client.get${r.pascal}(started.${r.camel}Id, call())).toEqual(started);
  });

  it('acts for the end user it names: another user’s ${r.words} is not found', async () => {
    const started = await client.start${r.pascal}({ customerId: randomUUID(), name: 'Main' }, { ...call(), idempotencyKey: \`client-test-\${randomUUID()}\` });
    const error = await client.get${r.pascal}(started.${r.camel}Id, call('user-mallory')).catch((reason: unknown) => reason);

    expect(error).toBeInstanceOf(DownstreamRejected);
    expect((error as DownstreamRejected).problem?.code).toBe(${n.pascal}ProblemCode.${r.constant}_NOT_FOUND);
  });
});
`,
  };
}
