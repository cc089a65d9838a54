module.exports = require('../../jest.shared.cjs')('stack-checks', { database: true, testTimeout: 120000 });
