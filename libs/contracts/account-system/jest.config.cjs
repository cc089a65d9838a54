module.exports = require('../../../jest.shared.cjs')('contracts-account-system');
