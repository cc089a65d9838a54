module.exports = require('../../../jest.shared.cjs')('contracts-billing-system');
