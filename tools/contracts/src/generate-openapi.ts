/**
 * `npm run openapi`: rewrites contracts/openapi/<service>.json from each app, then the mobile
 * client's generated types from the new mobile document. Run by tools/contracts/generate.mjs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { MOBILE_CLIENT_TYPES, SERVICES, WORKSPACE_ROOT, documentPath } from './contract-files';
import { renderClientTypes, renderDocument } from './generated-files';
import { buildOpenApiDocument } from './openapi-documents';

async function main(): Promise<void> {
  for (const service of SERVICES) {
    const file = join(WORKSPACE_ROOT, documentPath(service));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, renderDocument(service, await buildOpenApiDocument(service)));
    console.log(`wrote ${documentPath(service)}`);
  }
  const types = join(WORKSPACE_ROOT, MOBILE_CLIENT_TYPES);
  mkdirSync(dirname(types), { recursive: true });
  writeFileSync(types, renderClientTypes('mobile-experience-api', MOBILE_CLIENT_TYPES));
  console.log(`wrote ${MOBILE_CLIENT_TYPES}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
