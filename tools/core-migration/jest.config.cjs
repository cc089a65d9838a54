// One proof on real PostgreSQL: a gateway and the account System API in-process, both backends.
module.exports = require('../../jest.shared.cjs')('core-migration', {
  database: true,
  testTimeout: 120000,
  maxWorkers: 1,
});
