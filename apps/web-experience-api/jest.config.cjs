// End-to-end specs start the real Process API and System APIs (each with its own database on the
// run's PostgreSQL) and call this API over HTTP. graphile-worker (used by the Process API) is
// ESM-only: SWC compiles it to CommonJS for Jest like the other ESM packages.
module.exports = require('../../jest.shared.cjs')('web-experience-api', {
  database: true,
  transformIgnorePatterns: ['/node_modules/(?!(cookie|content-disposition|jose|graphile-worker)/)'],
  testTimeout: 60000,
});
