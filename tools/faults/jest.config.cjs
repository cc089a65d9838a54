// One stack for the whole suite; scenarios run in order, so one worker. Generous timeouts: the
// full profile runs hundreds of onboardings through crashes and outages.
module.exports = require('../../jest.shared.cjs')('faults', {
  database: true,
  testTimeout: 900000,
  maxWorkers: 1,
});
