module.exports = require('../../jest.shared.cjs')('mainframe-codec');
