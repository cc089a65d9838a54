module.exports = require('../../jest.shared.cjs')('billing-system-api', { database: true, testTimeout: 30000 });
