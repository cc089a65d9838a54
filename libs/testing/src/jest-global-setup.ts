/**
 * Jest globalSetup: one PostgreSQL server for the whole run when TEST_DATABASE_URL is not set
 * (container when a runtime answers, else embedded). It exports TEST_DATABASE_URL before Jest
 * starts its workers, which inherit the variable, so every test file's createTestDatabase() only
 * creates a database on it (~0.1 s) instead of starting a server (~1 s).
 */
import { startTestPostgresServer } from './test-postgres-server';
import { RUN_SERVER_KEY, type RunServerGlobal } from './run-server';

export default async function globalSetup(): Promise<void> {
  if (process.env.TEST_DATABASE_URL) return; // CI or the developer chose a server
  const server = await startTestPostgresServer();
  process.env.TEST_DATABASE_URL = server.adminUrl;
  (globalThis as RunServerGlobal)[RUN_SERVER_KEY] = server;
}
