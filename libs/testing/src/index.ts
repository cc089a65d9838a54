/** Test helpers shared by every project: a database per test file, log capture. */
export { createTestDatabase } from './test-database';
export type { TestDatabase } from './test-database';
export {
  startTestPostgresServer,
  startContainerServer,
  startEmbeddedTestServer,
} from './test-postgres-server';
export type { TestPostgresServer } from './test-postgres-server';
export { captureLogs } from './capture-logs';
export type { CapturedLogs } from './capture-logs';
export { startSmtpSink } from './smtp-sink';
export type { SmtpSink } from './smtp-sink';
