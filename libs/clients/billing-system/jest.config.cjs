module.exports = require('../../../jest.shared.cjs')('clients-billing-system', { database: true });
