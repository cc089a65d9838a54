module.exports = require('../../jest.shared.cjs')('testing', {
  globalSetup: require.resolve('@bartholomew/testing/jest-global-setup'),
  globalTeardown: require.resolve('@bartholomew/testing/jest-global-teardown'),
});
