// One PostgreSQL server for the run (unless TEST_DATABASE_URL names one); a database per test file.
// End-to-end specs start the real System APIs and an SMTP server, hence the longer timeout.
// graphile-worker 0.18 is ESM-only: SWC compiles it to CommonJS for Jest like the other ESM packages
// (the esbuild bundle leaves it external, and Node 24 require()s ESM natively).
module.exports = require('../../jest.shared.cjs')('onboarding-process-api', {
  database: true,
  transformIgnorePatterns: ['/node_modules/(?!(cookie|content-disposition|jose|graphile-worker)/)'],
  testTimeout: 60000,
});
