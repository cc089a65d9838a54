/**
 * Where globalSetup leaves the run's server for globalTeardown. Jest loads the two modules
 * separately, and only globals set in globalSetup are documented to reach globalTeardown.
 */
import type { TestPostgresServer } from './test-postgres-server';

export const RUN_SERVER_KEY = '__bartholomewTestPostgres';

export type RunServerGlobal = typeof globalThis & {
  [RUN_SERVER_KEY]?: TestPostgresServer;
};
