import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MOBILE_CLIENT_TYPES, REGENERATE_COMMAND, SERVICES, WORKSPACE_ROOT, documentPath } from './contract-files';
import { renderClientTypes, renderDocument } from './generated-files';
import { buildOpenApiDocument } from './openapi-documents';

const committed = (file: string) => (existsSync(join(WORKSPACE_ROOT, file)) ? readFileSync(join(WORKSPACE_ROOT, file), 'utf8') : undefined);
const staleness = (file: string, fresh: string) => {
  const text = committed(file);
  if (text === fresh) return [];
  return [`${file} is ${text === undefined ? 'missing' : 'stale'}: run \`${REGENERATE_COMMAND}\` and commit the result`];
};

describe('committed OpenAPI documents', () => {
  it.each(SERVICES)('match what %s serves at /openapi.json', async (service) => {
    const fresh = renderDocument(service, await buildOpenApiDocument(service));
    expect(staleness(documentPath(service), fresh)).toEqual([]);
  });

  it('are OpenAPI 3.1 documents with versioned paths, one per service', () => {
    for (const service of SERVICES) {
      const document = JSON.parse(committed(documentPath(service)) ?? '{}') as {
        openapi?: string;
        paths?: Record<string, unknown>;
      };
      expect({ service, openapi: document.openapi }).toEqual({
        service,
        openapi: '3.1.0',
      });
      expect(Object.keys(document.paths ?? {}).filter((path) => !/^\/v\d+\//.test(path))).toEqual([]);
      expect(Object.keys(document.paths ?? {}).length).toBeGreaterThan(0);
    }
  });

  it('come with the mobile client types generated from the committed mobile document', () => {
    expect(staleness(MOBILE_CLIENT_TYPES, renderClientTypes('mobile-experience-api', MOBILE_CLIENT_TYPES))).toEqual([]);
  });
});
