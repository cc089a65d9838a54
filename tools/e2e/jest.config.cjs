module.exports = require('../../jest.shared.cjs')('e2e', { database: true, testTimeout: 120000 });
