// Builds every app in-process (the System and Process APIs on databases of the run's PostgreSQL)
// and starts the real stack for the generated-client journey. graphile-worker (used by the Process
// API) is ESM-only: SWC compiles it to CommonJS for Jest like the other ESM packages.
module.exports = require('../../jest.shared.cjs')('contracts-governance', {
  database: true,
  transformIgnorePatterns: ['/node_modules/(?!(cookie|content-disposition|jose|graphile-worker)/)'],
  testTimeout: 120000,
});
