import type { GeneratorCallback, Tree } from '@nx/devkit';
import { findDownstream } from '../downstream.ts';
import { resourceNames, serviceNames } from '../names.ts';
import { finishGenerator, writeAppProject, writeClientProject, writeContractProject } from '../project-files.ts';
import { addToApplicationNetwork, nextPort, requireNew } from '../workspace-edits.ts';
import { processAppFiles } from './app-files.ts';
import { processClientFiles } from './client-files.ts';
import { processContractFiles } from './contract-files.ts';

export interface ProcessApiOptions {
  name: string;
  skipInstall?: boolean;
  system?: string;
  resource?: string;
}

/**
 * `nx g @bartholomew/generators:process-api <name> [--system=<system API>]`: a Process API whose
 * first workflow step calls a System API through its typed client, idempotently end to end, with
 * its contract, client and place in the application network.
 */
export default async function processApiGenerator(tree: Tree, options: ProcessApiOptions): Promise<GeneratorCallback | undefined> {
  const names = serviceNames(options.name, 'process');
  const resource = resourceNames(options.resource ?? names.base);
  requireNew(tree, names);
  const system = findDownstream(tree, 'system', options.system);
  const port = nextPort(tree, 'process');

  writeContractProject(
    tree,
    names,
    `The ${names.title}'s contract: TypeBox schemas and types of a ${resource.words}, shared by its server and its client.`,
    processContractFiles(names, resource, system),
  );
  writeAppProject(
    tree,
    names,
    port,
    {
      description: `${names.title}: starts a ${resource.words}, whose first step creates a ${system.resource.words} at the ${system.names.title}.`,
      dependencies: [
        names.contractsPackage,
        system.names.clientsPackage,
        system.names.contractsPackage,
        '@bartholomew/contracts-shared',
        '@bartholomew/platform',
      ],
      devDependencies: [system.names.appPackage, '@bartholomew/testing'],
      testsMayImportApps: [system.names.appPackage],
    },
    processAppFiles(names, resource, system, port),
  );
  writeClientProject(
    tree,
    names,
    {
      description: `Typed HTTP client of the ${names.title}, over the platform's resilient ServiceClientCore.`,
      dependencies: [names.contractsPackage, '@bartholomew/platform'],
      testedAgainst: [names.appPackage, system.names.appPackage],
    },
    processClientFiles(names, resource, system),
  );

  addToApplicationNetwork(tree, {
    names,
    port,
    comment: `accepts only the Experience layer, calls ${system.names.name}.`,
    database: true,
    calls: system,
    networks: ['experience-process', 'process-system', 'backend-db'],
  });
  return finishGenerator(tree, [`libs/contracts/${names.api}`, `apps/${names.name}`, `libs/clients/${names.api}`], options.skipInstall);
}
