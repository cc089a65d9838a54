/** Jest globalTeardown: stops the server the globalSetup started (and deletes its folder). */
import { RUN_SERVER_KEY, type RunServerGlobal } from './run-server';

export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as RunServerGlobal;
  const server = holder[RUN_SERVER_KEY];
  if (!server) return; // TEST_DATABASE_URL came from outside: not ours to stop
  delete holder[RUN_SERVER_KEY];
  if (process.env.TEST_DATABASE_URL === server.adminUrl) delete process.env.TEST_DATABASE_URL;
  await server.stop();
}
