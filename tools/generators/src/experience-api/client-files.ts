import type { Downstream } from '../downstream.ts';
import type { ServiceNames } from '../names.ts';
import { runningBundleFile } from '../running-bundle.ts';
import { seedSql, TEST_ISSUER, testIssuerSource } from './app-files.ts';

/**
 * How an end user's app may build the client: the platform's `fetch` and nothing of the server.
 * The library's tsconfig has no Node types (so `Buffer`, `process` and `node:*` do not compile);
 * lint keeps the server's packages out and the contract to its types (its schemas would ship
 * TypeBox to the app), as libs/clients/mobile-experience does.
 */
export const experienceClientCompilerOptions = { types: [], lib: ['es2023', 'dom'] };

export function experienceClientEslintConfig(n: ServiceNames): string {
  const typesOnly = 'Import types only: the schemas would ship TypeBox to the app.';
  return `import baseConfig from '../../../eslint.config.mjs';

const SERVER_ONLY = 'This client runs in end users’ apps (browsers, React Native): the platform’s fetch only, nothing of the server.';

export default [
  ...baseConfig,
  {
    files: ['src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'undici', message: SERVER_ONLY },
            { name: '@bartholomew/platform', message: SERVER_ONLY },
            { name: '${n.contractsPackage}', allowTypeImports: true, message: '${typesOnly}' },
            { name: '@bartholomew/contracts-shared', allowTypeImports: true, message: '${typesOnly}' },
            { name: '@sinclair/typebox', allowTypeImports: true, message: '${typesOnly}' },
          ],
          patterns: [
            { group: ['node:*'], message: SERVER_ONLY },
            { group: ['@bartholomew/platform/*'], message: SERVER_ONLY },
          ],
        },
      ],
    },
  },
];
`;
}

/**
 * libs/clients/<api>: the typed client end users' apps call the Experience API with — a bearer
 * token from the app instead of a service credential, problems as typed errors, ETag revalidation —
 * on the platform's `fetch` only (as libs/clients/mobile-experience). Tested with a scripted fetch,
 * and against the running bundles of this API and the Process API below.
 */
export function experienceClientFiles(n: ServiceNames, process: Downstream): Record<string, string> {
  const r = process.resource;
  const p = process.names;
  const file = `${n.api}-client`;
  const client = `${n.pascal}Client`;
  const apiError = `${n.pascal}ApiError`;
  const networkError = `${n.pascal}NetworkError`;
  return {
    'src/index.ts': `/**
 * Typed client of the ${n.title}, for end users' apps (browsers, React Native, Node ≥ 18): the
 * platform's \`fetch\` only; the contract's types, not its schemas.
 */
export { ${client}, type Fetch, type ${client}Options } from './${file}';
export { ${apiError}, ${networkError}, type ProblemCode } from './errors';
export type { ${r.pascal}View } from '${n.contractsPackage}';
`,
    'src/errors.ts': `import type { Problem } from '@bartholomew/contracts-shared';
import type { ${n.pascal}ProblemCode } from '${n.contractsPackage}';

/** Codes an app may meet: this API's own, the experience layer's and the platform's. */
export type ProblemCode =
  | ${n.pascal}ProblemCode
  | 'UNAUTHENTICATED'
  | 'RATE_LIMITED'
  | 'SERVICE_UNAVAILABLE'
  | 'VALIDATION_FAILED'
  | 'ROUTE_NOT_FOUND'
  | 'INTERNAL_ERROR'
  | (string & {});

/**
 * The API answered with a problem (RFC 9457). Branch on \`code\`, never on \`title\` or \`detail\`.
 * \`retryAfterSeconds\` is set when the API said when to come back (503, 429).
 */
export class ${apiError} extends Error {
  readonly status: number;
  readonly code: ProblemCode;
  readonly problem: Problem & Record<string, unknown>;
  readonly retryAfterSeconds: number | undefined;
  readonly requestId: string | undefined;

  constructor(problem: Problem & Record<string, unknown>, retryAfterSeconds: number | undefined, requestId: string | undefined) {
    super(problem.detail ?? problem.title);
    this.name = '${apiError}';
    this.status = problem.status;
    this.code = problem.code;
    this.problem = problem;
    this.retryAfterSeconds = retryAfterSeconds;
    this.requestId = requestId;
  }

  /** The user should sign in again (no, expired or refused token). */
  get isUnauthenticated(): boolean {
    return this.status === 401;
  }

  /** Worth trying again later (the bank's systems unavailable, rate limited). */
  get isRetryable(): boolean {
    return this.retryAfterSeconds !== undefined || this.status === 503 || this.status === 429;
  }
}

/** No usable answer: offline, DNS, connection reset, timed out, or not the API's JSON. */
export class ${networkError} extends Error {
  readonly timedOut: boolean;

  constructor(message: string, options: { cause?: unknown; timedOut?: boolean } = {}) {
    super(message, { cause: options.cause });
    this.name = '${networkError}';
    this.timedOut = options.timedOut ?? false;
  }
}
`,
    [`src/${file}.ts`]: `import type { ${r.pascal}View } from '${n.contractsPackage}';
import type { Problem } from '@bartholomew/contracts-shared';
import { ${apiError}, ${networkError} } from './errors';

/** The fetch the app's platform provides (the global one by default, or a test's). */
export type Fetch = (input: string, init: RequestInit) => Promise<Response>;

export interface ${client}Options {
  /** Root of the ${n.title}, e.g. \`https://${n.base}.api.example\`. */
  baseUrl: string;
  /**
   * The signed-in user's access token, asked for before every call so the app's auth SDK can
   * refresh it. Sent as \`Authorization: Bearer …\`, never in a URL.
   */
  getToken: () => string | Promise<string>;
  /** Default: the global \`fetch\`. */
  fetch?: Fetch;
  /** Give up on a call after this long. Default 15 s (slow mobile networks). */
  timeoutMs?: number;
}

interface CachedRead {
  etag: string;
  body: unknown;
}

/**
 * The ${n.title} for end users' apps: one method per view, typed from its contract. Reads are
 * revalidated with the last \`ETag\` (\`If-None-Match\`), so an unchanged view costs a 304 and no
 * body. A view served while the bank's systems are down carries \`stale: true\`. Problems arrive
 * as \`${apiError}\` (with \`code\`), no answer as \`${networkError}\`.
 * Made by @bartholomew/generators:experience-api.
 */
export class ${client} {
  private readonly baseUrl: string;
  private readonly fetch: Fetch;
  private readonly timeoutMs: number;
  private readonly reads = new Map<string, CachedRead>();

  constructor(private readonly options: ${client}Options) {
    this.baseUrl = options.baseUrl.replace(/\\/+$/, '');
    const platformFetch = options.fetch ?? (globalThis.fetch as Fetch | undefined);
    if (!platformFetch) throw new TypeError('No fetch available: pass one in the options');
    this.fetch = platformFetch;
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  /** One of the signed-in user's ${r.plural.replace(/-/g, ' ')}; someone else's is \`${r.constant}_NOT_FOUND\`. */
  get${r.pascal}View(${r.camel}Id: string): Promise<${r.pascal}View> {
    return this.read(\`/v1/${r.plural}/\${encodeURIComponent(${r.camel}Id)}\`);
  }

  /** Forgets every cached read, e.g. when the user signs out. */
  clearCache(): void {
    this.reads.clear();
  }

  private async read<T>(path: string): Promise<T> {
    const cached = this.reads.get(path);
    const response = await this.request('GET', path, cached ? { 'if-none-match': cached.etag } : {});
    if (response.status === 304 && cached) return cached.body as T;
    const body = await this.answer<T>(response);
    const etag = response.headers.get('etag');
    if (etag) this.reads.set(path, { etag, body });
    return body;
  }

  private async request(method: string, path: string, headers: Record<string, string>): Promise<Response> {
    const token = await this.options.getToken();
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timeoutMs);
    try {
      return await this.fetch(\`\${this.baseUrl}\${path}\`, {
        method,
        headers: { accept: 'application/json', authorization: \`Bearer \${token}\`, ...headers },
        signal: controller.signal,
      });
    } catch (error) {
      const timedOut = controller.signal.aborted;
      throw new ${networkError}(timedOut ? \`No answer within \${this.timeoutMs} ms\` : 'The API could not be reached', { cause: error, timedOut });
    } finally {
      clearTimeout(timer);
    }
  }

  private async answer<T>(response: Response): Promise<T> {
    const type = response.headers.get('content-type') ?? '';
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      throw new ${networkError}(\`Answer \${response.status} is not JSON\`, { cause: error });
    }
    if (response.ok) return body as T;
    if (!/^application\\/problem\\+json/i.test(type) || !isProblem(body)) throw new ${networkError}(\`Answer \${response.status} is not a problem document\`);
    throw new ${apiError}(body, retryAfterSeconds(response.headers.get('retry-after')), response.headers.get('x-request-id') ?? undefined);
  }
}

function isProblem(value: unknown): value is Problem & Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Record<string, unknown>;
  return typeof candidate.status === 'number' && typeof candidate.code === 'string' && typeof candidate.title === 'string';
}

/** \`Retry-After\` in seconds: delta-seconds or an HTTP date. */
function retryAfterSeconds(header: string | null): number | undefined {
  if (!header) return undefined;
  if (/^\\d+$/.test(header.trim())) return Number(header.trim());
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}
`,
    [`test/${file}.spec.ts`]: `import { ${apiError}, ${client}, ${networkError}, type Fetch } from '../src';

/** A fetch that answers as scripted, in order, and records what was sent. */
function scriptedFetch(...answers: Array<Response | Error>): { fetch: Fetch; sent: Array<{ url: string; init: RequestInit }> } {
  const sent: Array<{ url: string; init: RequestInit }> = [];
  const fetch: Fetch = async (url, init) => {
    sent.push({ url, init });
    const answer = answers.shift();
    if (!answer) throw new Error('no more scripted answers');
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { fetch, sent };
}

const view = { id: '5f0c8a9e-4a8e-4e7b-9d3c-3f1d2b6a7c10', name: 'Main', state: 'done', startedAt: '2026-01-31T10:00:00.000Z' };
const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });

describe('${client}, with a scripted fetch', () => {
  it('puts the id into the path encoded, and the token only into the Authorization header', async () => {
    const { fetch, sent } = scriptedFetch(json(view));
    const client = new ${client}({ baseUrl: 'https://api.test/', getToken: () => 'secret-token', fetch });

    await expect(client.get${r.pascal}View('a/b?c')).resolves.toEqual(view);
    expect(sent[0].url).toBe('https://api.test/v1/${r.plural}/a%2Fb%3Fc');
    expect(new Headers(sent[0].init.headers).get('authorization')).toBe('Bearer secret-token');
  });

  it('reads Retry-After given as an HTTP date, and keeps the request id and the problem’s extensions', async () => {
    const problem = { type: 'urn:problem:SERVICE_UNAVAILABLE', title: 'Unavailable', status: 503, code: 'SERVICE_UNAVAILABLE', attempt: 2 };
    const retryAt = new Date(Date.now() + 30_000).toUTCString();
    const { fetch } = scriptedFetch(
      new Response(JSON.stringify(problem), { status: 503, headers: { 'content-type': 'application/problem+json', 'retry-after': retryAt, 'x-request-id': 'req-7' } }),
    );
    const error = await new ${client}({ baseUrl: 'https://api.test', getToken: () => 't', fetch }).get${r.pascal}View(view.id).catch((reason: unknown) => reason);

    expect(error).toBeInstanceOf(${apiError});
    expect(error).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE', requestId: 'req-7', problem: { attempt: 2 }, isRetryable: true });
    expect((error as ${apiError}).retryAfterSeconds).toBeGreaterThanOrEqual(28);
  });

  it('does not mistake a proxy’s HTML error page for the API', async () => {
    const { fetch } = scriptedFetch(new Response('<html>502 Bad Gateway</html>', { status: 502, headers: { 'content-type': 'text/html' } }));
    const client = new ${client}({ baseUrl: 'https://api.test', getToken: () => 't', fetch });
    await expect(client.get${r.pascal}View(view.id)).rejects.toBeInstanceOf(${networkError});
  });

  it('gives up on a call that hangs, as timed out', async () => {
    const hanging: Fetch = (_url, init) => new Promise((_resolve, reject) => init.signal?.addEventListener('abort', () => reject(new Error('aborted'))));
    const client = new ${client}({ baseUrl: 'https://api.test', getToken: () => 't', fetch: hanging, timeoutMs: 50 });
    const started = Date.now();

    await expect(client.get${r.pascal}View(view.id)).rejects.toMatchObject({ name: '${networkError}', timedOut: true });
    expect(Date.now() - started).toBeLessThan(900);
  });
});
`,
    'test/running-bundle.ts': runningBundleFile,
    [`test/${file}.running.spec.ts`]: `import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import pg from 'pg';
import { ${n.pascal}ProblemCode } from '${n.contractsPackage}';
import { createTestDatabase, type TestDatabase } from '@bartholomew/testing';
import { ${apiError}, ${client}, ${networkError}, type Fetch } from '../src';
import { startBundle, type RunningService } from './running-bundle';

const EXPERIENCE_SECRET = 'experience-secret-for-client-tests';

${testIssuerSource(n)}
describe('${client} against the running ${n.title} and ${p.title}', () => {
  let database: TestDatabase;
  let processDb: pg.Pool;
  let processApi: RunningService;
  let api: RunningService;
  let issuer: Awaited<ReturnType<typeof testIssuer>>;
  beforeAll(async () => {
    database = await createTestDatabase();
    processApi = await startBundle('${p.name}', {
      DATABASE_URL: database.url,
      ACCEPTED_CALLERS: \`${n.name}:experience:\${EXPERIENCE_SECRET}\`,
      SERVICE_CREDENTIAL_SECRET: 'process-secret-never-used-here',
      PII_ENCRYPTION_KEY: Buffer.alloc(32, 6).toString('base64'),
    });
    processDb = new pg.Pool({ connectionString: database.url, max: 1 });
    processDb.on('error', () => undefined); // the pool outlives the server's last answer at shutdown
    issuer = await testIssuer();
    api = await startBundle('${n.name}', {
      JWT_ISSUER: '${TEST_ISSUER}',
      JWT_AUDIENCE: '${n.name}',
      JWT_PUBLIC_KEYS: issuer.jwks,
      ${p.urlVariable}: processApi.baseUrl,
      SERVICE_CREDENTIAL_SECRET: EXPERIENCE_SECRET,
      PII_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
    });
  });
  afterAll(async () => {
    await api?.stop();
    await processApi?.stop();
    await processDb?.end();
    await database?.drop();
  });

  /** A ${r.words} of \`owner\`, finished, straight in the Process API's database (the System API below it is not running). */
  const seed = async (owner: string, name = 'Main') =>
    (await processDb.query<{ id: string }>("${seedSql(r)}", [owner, randomUUID(), name])).rows[0].id;
  const clientOf = (subject: string, fetch?: Fetch) => new ${client}({ baseUrl: api.baseUrl, getToken: () => issuer.token(subject), fetch, timeoutMs: 5_000 });

  it('shows the signed-in user their own ${r.words}, with a fresh token from the app on every call', async () => {
    const id = await seed('user-ada', 'Main');
    let asked = 0;
    const client = new ${client}({
      baseUrl: api.baseUrl,
      getToken: () => {
        asked += 1;
        return issuer.token('user-ada');
      },
    });

    expect(await client.get${r.pascal}View(id)).toEqual({ id, name: 'Main', state: 'not_possible', startedAt: expect.any(String) });
    await client.get${r.pascal}View(id);
    expect(asked).toBe(2);
  });

  it('revalidates with the ETag: an unchanged view costs a 304 and answers the copy it holds', async () => {
    const id = await seed('user-ada');
    const statuses: number[] = [];
    const counting: Fetch = async (url, init) => {
      const response = await fetch(url, init);
      statuses.push(response.status);
      return response;
    };
    const client = clientOf('user-ada', counting);
    const first = await client.get${r.pascal}View(id);

    expect(await client.get${r.pascal}View(id)).toBe(first);
    expect(statuses).toEqual([200, 304]);
  });

  it('answers another user’s ${r.words} as not found, with the contract’s code', async () => {
    const id = await seed('user-ada');
    const error = await clientOf('user-mallory').get${r.pascal}View(id).catch((reason: unknown) => reason);

    expect(error).toBeInstanceOf(${apiError});
    expect(error).toMatchObject({ status: 404, code: ${n.pascal}ProblemCode.${r.constant}_NOT_FOUND, isRetryable: false });
  });

  it('tells the app to sign in again when the API refuses its token', async () => {
    const client = new ${client}({ baseUrl: api.baseUrl, getToken: () => 'not-a-token' });
    const error = await client.get${r.pascal}View(randomUUID()).catch((reason: unknown) => reason);

    expect(error).toBeInstanceOf(${apiError});
    expect(error).toMatchObject({ status: 401, code: 'UNAUTHENTICATED', isUnauthenticated: true });
  });

  it('reports an API nobody listens on as a network error, not a problem', async () => {
    const nowhere = new ${client}({ baseUrl: 'http://127.0.0.1:1', getToken: () => issuer.token('user-ada'), timeoutMs: 2_000 });
    const error = await nowhere.get${r.pascal}View(randomUUID()).catch((reason: unknown) => reason);

    expect(error).toBeInstanceOf(${networkError});
    expect(error).toMatchObject({ timedOut: false });
  });

  // Last: stops the Process API.
  it('while the Process API is down: the last good view marked stale, else a retryable 503', async () => {
    const seen = await seed('user-ada', 'Seen');
    const unseen = await seed('user-ada', 'Unseen');
    const client = clientOf('user-ada');
    const fresh = await client.get${r.pascal}View(seen);
    await processApi.stop();
    client.clearCache();

    expect(await client.get${r.pascal}View(seen)).toEqual({ ...fresh, stale: true });
    const down = await client.get${r.pascal}View(unseen).catch((reason: unknown) => reason);
    expect(down).toBeInstanceOf(${apiError});
    expect(down).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE', isRetryable: true });
    expect((down as ${apiError}).retryAfterSeconds).toBeGreaterThan(0);
  });
});
`,
  };
}
