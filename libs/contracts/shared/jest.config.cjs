module.exports = require('../../../jest.shared.cjs')('contracts-shared', { passWithNoTests: true });
