module.exports = require('../../jest.shared.cjs')('core-banking-gateway', { database: true, testTimeout: 30000 });
