module.exports = require('../../jest.shared.cjs')('platform');
