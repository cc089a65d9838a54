module.exports = require('../../jest.shared.cjs')('platform', { database: true, testTimeout: 30000 });
