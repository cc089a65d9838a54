module.exports = require('../../../jest.shared.cjs')('clients-account-system', { database: true, testTimeout: 30000 });
