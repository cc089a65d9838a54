module.exports = require('../../../jest.shared.cjs')('contracts-web-experience');
