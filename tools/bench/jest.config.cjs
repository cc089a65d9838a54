// One end-to-end run of the bench (its quick profile) as a child process: it starts the stack itself.
module.exports = require('../../jest.shared.cjs')('bench', {
  database: true,
  testTimeout: 600000,
  maxWorkers: 1,
});
