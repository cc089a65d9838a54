import type { GeneratorCallback, Tree } from '@nx/devkit';
import { resourceNames, serviceNames } from '../names.ts';
import { finishGenerator, writeAppProject, writeClientProject, writeContractProject } from '../project-files.ts';
import { addToApplicationNetwork, nextPort, requireNew } from '../workspace-edits.ts';
import { systemAppFiles } from './app-files.ts';
import { systemClientFiles } from './client-files.ts';
import { systemContractFiles } from './contract-files.ts';

export interface SystemApiOptions {
  name: string;
  skipInstall?: boolean;
  resource?: string;
}

/**
 * `nx g @bartholomew/generators:system-api <name>`: a System API that hides one backend (its own
 * PostgreSQL database) behind a contract, with a first resource — table, idempotent create,
 * read, list — its typed client, and its place in the application network (services.json,
 * compose, the init SQL). Passes lint, typecheck and its tests as generated.
 */
export default async function systemApiGenerator(tree: Tree, options: SystemApiOptions): Promise<GeneratorCallback | undefined> {
  const names = serviceNames(options.name, 'system');
  const resource = resourceNames(options.resource ?? names.base);
  requireNew(tree, names);
  const port = nextPort(tree, 'system');

  writeContractProject(
    tree,
    names,
    `The ${names.title}'s contract: TypeBox schemas and types of its ${resource.words} resource, shared by its server and its client.`,
    systemContractFiles(names, resource),
  );
  writeAppProject(
    tree,
    names,
    port,
    {
      description: `${names.title}: ${resource.words} records over its own database.`,
      dependencies: [names.contractsPackage, '@bartholomew/contracts-shared', '@bartholomew/platform'],
      devDependencies: ['@bartholomew/testing'],
    },
    systemAppFiles(names, resource, port),
  );
  writeClientProject(
    tree,
    names,
    {
      description: `Typed HTTP client of the ${names.title}, over the platform's resilient ServiceClientCore.`,
      dependencies: [names.contractsPackage, '@bartholomew/platform'],
      testedAgainst: [names.appPackage],
    },
    systemClientFiles(names, resource),
  );

  addToApplicationNetwork(tree, {
    names,
    port,
    comment: 'accepts only the Process layer.',
    database: true,
    networks: ['process-system', 'backend-db'],
  });
  return finishGenerator(tree, [`libs/contracts/${names.api}`, `apps/${names.name}`, `libs/clients/${names.api}`], options.skipInstall);
}
