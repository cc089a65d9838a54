import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { baseCommit, documentAt, findBreakingChanges } from './breaking-changes';
import { REGENERATE_COMMAND, SERVICES, WORKSPACE_ROOT, documentPath, type OpenApiDocument } from './contract-files';

/** A small published API: one operation that takes a body and answers a shared schema. */
function publishedApi(): OpenApiDocument {
  return {
    openapi: '3.1.0',
    info: { title: 'Accounts', version: '1.0.0' },
    paths: {
      '/v1/accounts': {
        post: {
          operationId: 'openAccount',
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  additionalProperties: false,
                  required: ['customerId'],
                  properties: {
                    customerId: { type: 'string', maxLength: 36 },
                    nickname: { type: 'string', maxLength: 40 },
                  },
                },
              },
            },
          },
          responses: {
            '201': {
              description: 'Created',
              content: {
                'application/json': {
                  schema: { $ref: '#/components/schemas/Account' },
                },
              },
            },
          },
        },
      },
      '/v1/accounts/{accountId}': {
        get: {
          operationId: 'getAccount',
          parameters: [
            {
              in: 'path',
              name: 'accountId',
              required: true,
              schema: { type: 'string', maxLength: 36 },
            },
          ],
          responses: {
            '200': {
              description: 'OK',
              content: {
                'application/json': {
                  schema: { $ref: '#/components/schemas/Account' },
                },
              },
            },
          },
        },
      },
    },
    components: {
      schemas: {
        Account: {
          type: 'object',
          additionalProperties: false,
          required: ['accountId', 'status', 'balanceMinor'],
          properties: {
            accountId: { type: 'string', maxLength: 36 },
            status: { type: 'string', enum: ['open', 'frozen', 'closed'] },
            balanceMinor: { type: 'integer', format: 'int64' },
          },
        },
      },
    },
  };
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- synthetic documents edited in place
const changed = (edit: (document: Json) => void) => {
  const document = structuredClone(publishedApi()) as Json;
  edit(document);
  return document;
};
const pointers = (changes: ReturnType<typeof findBreakingChanges>) => changes.map((change) => change.pointer);

describe('the breaking-change check', () => {
  it('passes a document that did not change', () => {
    expect(findBreakingChanges(publishedApi(), publishedApi())).toEqual([]);
  });

  it('passes an added optional response field and an added optional request field', () => {
    const next = changed((document) => {
      document.components.schemas.Account.properties.openedAt = {
        type: 'string',
        format: 'date-time',
        maxLength: 40,
      };
      document.paths['/v1/accounts'].post.requestBody.content['application/json'].schema.properties.branch = { type: 'string', maxLength: 10 };
    });
    expect(findBreakingChanges(publishedApi(), next)).toEqual([]);
  });

  it('refuses a response field removed from a shared component, where each operation answers it', () => {
    const next = changed((document) => {
      delete document.components.schemas.Account.properties.status;
      document.components.schemas.Account.required = ['accountId', 'balanceMinor'];
    });
    expect(pointers(findBreakingChanges(publishedApi(), next))).toEqual(
      expect.arrayContaining([
        '/paths/~1v1~1accounts/post/responses/201/content/application~1json/schema/properties/status',
        '/paths/~1v1~1accounts~1{accountId}/get/responses/200/content/application~1json/schema/properties/status',
      ]),
    );
  });

  it('refuses a request field removed from a body that refuses unknown fields', () => {
    const next = changed((document) => {
      delete document.paths['/v1/accounts'].post.requestBody.content['application/json'].schema.properties.nickname;
    });
    expect(pointers(findBreakingChanges(publishedApi(), next))).toEqual([
      '/paths/~1v1~1accounts/post/requestBody/content/application~1json/schema/properties/nickname',
    ]);
  });

  it('refuses a narrowed request type: a shorter maximum length', () => {
    const next = changed((document) => {
      document.paths['/v1/accounts'].post.requestBody.content['application/json'].schema.properties.nickname.maxLength = 10;
    });
    expect(pointers(findBreakingChanges(publishedApi(), next))).toEqual([
      '/paths/~1v1~1accounts/post/requestBody/content/application~1json/schema/properties/nickname/maxLength',
    ]);
  });

  it('refuses a response field whose type changes', () => {
    const next = changed((document) => {
      document.components.schemas.Account.properties.balanceMinor = {
        type: 'string',
        maxLength: 20,
      };
    });
    expect(pointers(findBreakingChanges(publishedApi(), next))).toContain(
      '/paths/~1v1~1accounts~1{accountId}/get/responses/200/content/application~1json/schema/properties/balanceMinor/type',
    );
  });

  it('refuses a removed operation', () => {
    const next = changed((document) => {
      delete document.paths['/v1/accounts/{accountId}'];
    });
    expect(pointers(findBreakingChanges(publishedApi(), next))).toEqual(['/paths/~1v1~1accounts~1{accountId}/get']);
  });

  it('passes a breaking change made in a new version path, next to the unchanged published one', () => {
    const next = changed((document) => {
      const v2 = structuredClone(document.paths['/v1/accounts/{accountId}']);
      delete v2.get.responses['200'].content['application/json'].schema.$ref;
      v2.get.responses['200'].content['application/json'].schema = {
        type: 'object',
        properties: { accountId: { type: 'string', maxLength: 36 } },
      };
      document.paths['/v2/accounts/{accountId}'] = v2;
    });
    expect(findBreakingChanges(publishedApi(), next)).toEqual([]);
  });
});

describe('the base the working tree is compared with', () => {
  const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
  let repository: string;
  const commit = (message: string) => {
    writeFileSync(join(repository, 'file.txt'), message);
    git(repository, 'add', 'file.txt');
    git(repository, '-c', 'user.name=test', '-c', 'user.email=test@example.com', 'commit', '-q', '-m', message);
    return git(repository, 'rev-parse', 'HEAD');
  };
  beforeEach(() => {
    repository = mkdtempSync(join(tmpdir(), 'contracts-base-'));
    git(repository, 'init', '-q', '-b', 'main');
  });
  afterEach(() => rmSync(repository, { recursive: true, force: true }));

  it('is nothing in a repository with a single commit', () => {
    commit('first');
    expect(baseCommit(repository)).toBeUndefined();
  });

  it('is the previous commit on main', () => {
    const first = commit('first');
    commit('second');
    expect(baseCommit(repository)).toBe(first);
  });

  it('is where a branch left main, however far either has moved', () => {
    commit('first');
    const forkPoint = commit('second');
    git(repository, 'checkout', '-q', '-b', 'feature');
    commit('feature work');
    commit('more feature work');
    git(repository, 'checkout', '-q', 'main');
    commit('main moved on');
    git(repository, 'checkout', '-q', 'feature');
    expect(baseCommit(repository)).toBe(forkPoint);
  });
});

describe('committed OpenAPI documents', () => {
  const base = baseCommit(WORKSPACE_ROOT);

  it.each(SERVICES)('make no breaking change to a published version of %s', (service) => {
    const before = base === undefined ? undefined : documentAt(WORKSPACE_ROOT, base, documentPath(service));
    // A first document (or no history to compare with) has no client to break yet.
    if (before === undefined) return;
    const working = JSON.parse(readFileSync(join(WORKSPACE_ROOT, documentPath(service)), 'utf8')) as OpenApiDocument;
    const changes = findBreakingChanges(before, working).map((change) => `${change.pointer}: ${change.description}`);
    expect({
      service,
      base,
      breakingChanges: changes,
      hint: changes.length ? `publish the change under a new version path (/v2/...), then ${REGENERATE_COMMAND}` : undefined,
    }).toEqual({
      service,
      base,
      breakingChanges: [],
      hint: undefined,
    });
  });
});
