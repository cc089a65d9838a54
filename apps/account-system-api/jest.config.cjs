module.exports = require('../../jest.shared.cjs')('account-system-api', { database: true, testTimeout: 30000 });
