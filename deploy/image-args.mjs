/**
 * First step of deploy/Dockerfile's build stage: `node image-args.mjs <SERVICE> <PORT>` stops the
 * build, in one line, unless services.json (next to it in the image, at the root in the
 * repository) declares that service on that port. The build arguments then cannot drift from the
 * manifest; tools/stack-checks also checks the values compose and the docker-build targets pass.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const manifestPath = [join(here, 'services.json'), join(here, '..', 'services.json')].find((path) => existsSync(path));
const [service = '', port = ''] = process.argv.slice(2);

function refuse(message) {
  console.error(`image-args: ${message}`);
  process.exit(1);
}

if (!manifestPath) refuse('services.json not found');
const { services } = JSON.parse(readFileSync(manifestPath, 'utf8'));
const declared = services.find((candidate) => candidate.name === service);
if (!service) refuse(`no SERVICE build argument; one of: ${services.map((s) => s.name).join(', ')}`);
if (!declared) refuse(`SERVICE=${service} is not in services.json; one of: ${services.map((s) => s.name).join(', ')}`);
if (port !== String(declared.port)) refuse(`PORT=${port || '(none)'} but services.json gives ${service} port ${declared.port}`);
console.log(`image-args: ${service} on port ${port}`);
