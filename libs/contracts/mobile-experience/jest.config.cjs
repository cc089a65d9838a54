module.exports = require('../../../jest.shared.cjs')('contracts-mobile-experience');
