module.exports = require('../../jest.shared.cjs')('architecture', { testTimeout: 120000 });
