module.exports = require('../../../jest.shared.cjs')('clients-mobile-experience');
