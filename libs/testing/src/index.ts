/** Test helpers shared by every project: a database per test file, log capture, an OpenAPI fuzzer. */
export { createTestDatabase } from './test-database';
export type { TestDatabase } from './test-database';
export { startTestPostgresServer, startContainerServer, startEmbeddedTestServer } from './test-postgres-server';
export type { TestPostgresServer } from './test-postgres-server';
export { captureLogs } from './capture-logs';
export type { CapturedLogs } from './capture-logs';
export { startSmtpSink } from './smtp-sink';
export type { SmtpSink } from './smtp-sink';
export {
  fuzzOpenApi,
  publishedOperationIds,
  fuzzBudget,
  formatFuzzFailures,
  judgeResponse,
  redactRequest,
  injectSender,
  httpSender,
} from './openapi-fuzz';
export type { FuzzOptions, FuzzResult, FuzzFailure, FuzzRequest, FuzzResponse, FuzzSend, FuzzOperation } from './openapi-fuzz';
