// The customer-list spec starts the real Process API (and the System APIs below it) from the test
// stack, each with its own database on the run's PostgreSQL. graphile-worker (used by the Process
// API) is ESM-only: SWC compiles it to CommonJS for Jest like the other ESM packages.
module.exports = require('../../../jest.shared.cjs')('clients-onboarding-process', {
  database: true,
  transformIgnorePatterns: ['/node_modules/(?!(cookie|content-disposition|jose|graphile-worker)/)'],
  testTimeout: 60000,
});
