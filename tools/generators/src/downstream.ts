import type { Tree } from '@nx/devkit';
import { resourceNames, serviceNames, type Layer, type ResourceNames, type ServiceNames } from './names.ts';
import { readManifest } from './workspace-edits.ts';

/** An API one layer down that a generated service calls, with the resource its generated client exposes. */
export interface Downstream {
  names: ServiceNames;
  resource: ResourceNames;
  port: number;
}

/**
 * What a generated step or view can call: an API made by these generators, whose client has
 * `create<Resource>`/`start<Resource>` and `get<Resource>`. Hand-written APIs have their own
 * operations, which a generated first step cannot guess.
 */
function generatedDownstream(tree: Tree, name: string, layer: Layer, port: number): Downstream | undefined {
  const names = serviceNames(name, layer);
  const client = tree.read(`libs/clients/${names.api}/src/${names.api}-client.ts`, 'utf-8');
  const verb = layer === 'system' ? 'create' : 'start';
  if (!client?.includes(`Made by @bartholomew/generators:${layer}-api`)) return undefined;
  const match = new RegExp(`\\b${verb}([A-Z][A-Za-z0-9]*)\\(request: [A-Z]`).exec(client);
  if (!match || !client.includes(`get${match[1]}(`)) return undefined;
  const kebab = match[1].replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
  return { names, resource: resourceNames(kebab), port };
}

/** The named API of `layer` (or, by default, the first one of services.json this generator can call). */
export function findDownstream(tree: Tree, layer: Layer, requested: string | undefined): Downstream {
  const candidates = readManifest(tree).services.filter((service) => service.layer === layer);
  if (requested) {
    const wanted = serviceNames(requested, layer).name;
    const service = candidates.find((candidate) => candidate.name === wanted);
    if (!service) throw new Error(`${wanted} is not a ${layer} API of services.json`);
    const found = generatedDownstream(tree, service.name, layer, service.port);
    if (!found)
      throw new Error(`${wanted} was not made by @bartholomew/generators:${layer}-api, so a generated first step cannot know its operations`);
    return found;
  }
  for (const service of candidates) {
    const found = generatedDownstream(tree, service.name, layer, service.port);
    if (found) return found;
  }
  throw new Error(`no ${layer} API of services.json was made by @bartholomew/generators:${layer}-api: generate one first, or name it`);
}
