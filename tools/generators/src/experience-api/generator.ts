import type { GeneratorCallback, Tree } from '@nx/devkit';
import { findDownstream } from '../downstream.ts';
import { serviceNames } from '../names.ts';
import { finishGenerator, writeAppProject, writeClientProject, writeContractProject } from '../project-files.ts';
import { addToApplicationNetwork, nextPort, requireNew } from '../workspace-edits.ts';
import { experienceAppFiles } from './app-files.ts';
import { experienceClientCompilerOptions, experienceClientEslintConfig, experienceClientFiles } from './client-files.ts';
import { experienceContractFiles } from './contract-files.ts';

export interface ExperienceApiOptions {
  name: string;
  skipInstall?: boolean;
  process?: string;
}

/**
 * `nx g @bartholomew/generators:experience-api <name> [--process=<process API>]`: an Experience API
 * for end users with bearer tokens whose first view reads a Process API through its typed client,
 * built on libs/experience-kit (owner subject, conditional reads, last good answers); its contract,
 * the typed client end users' apps call it with, and its place in the application network.
 */
export default async function experienceApiGenerator(tree: Tree, options: ExperienceApiOptions): Promise<GeneratorCallback | undefined> {
  const names = serviceNames(options.name, 'experience');
  requireNew(tree, names);
  const process = findDownstream(tree, 'process', options.process);
  const port = nextPort(tree, 'experience');
  const resources = process.resource.plural.replace(/-/g, ' ');

  writeContractProject(
    tree,
    names,
    `The ${names.title}'s contract: the views it answers end users, as TypeBox schemas.`,
    experienceContractFiles(names, process),
  );
  writeAppProject(
    tree,
    names,
    port,
    {
      description: `${names.title}: views of ${resources} for end users with bearer tokens, over the ${process.names.title}.`,
      dependencies: [
        names.contractsPackage,
        process.names.clientsPackage,
        process.names.contractsPackage,
        '@bartholomew/contracts-shared',
        '@bartholomew/experience-kit',
        '@bartholomew/platform',
      ],
      devDependencies: [process.names.appPackage, '@bartholomew/testing'],
      testsMayImportApps: [process.names.appPackage],
    },
    experienceAppFiles(names, process, port),
  );
  writeClientProject(
    tree,
    names,
    {
      description: `Typed client of the ${names.title} for end users' apps: the platform's fetch only, bearer token from the app, problem+json as typed errors, ETag revalidation.`,
      // The contracts for their types only: nothing of the server reaches an app.
      dependencies: [names.contractsPackage, '@bartholomew/contracts-shared'],
      testedAgainst: [names.appPackage, process.names.appPackage],
      compilerOptions: experienceClientCompilerOptions,
      eslintConfig: experienceClientEslintConfig(names),
    },
    experienceClientFiles(names, process),
  );

  addToApplicationNetwork(tree, {
    names,
    port,
    comment: `end users with bearer JWTs, calls ${process.names.name}.`,
    database: false,
    calls: process,
    environment: [
      'JWT_ISSUER: *dev-jwt-issuer',
      `JWT_AUDIENCE: ${names.name}`,
      'JWT_ALGORITHMS: ES256',
      'REDIS_URL: *rate-limit-redis',
      'JWT_PUBLIC_KEYS: *dev-jwt-keys',
    ],
    networks: ['edge', 'experience-process', 'experience-cache'],
    published: true,
    dependsOn: ['redis'],
  });
  return finishGenerator(tree, [`libs/contracts/${names.api}`, `apps/${names.name}`, `libs/clients/${names.api}`], options.skipInstall);
}
