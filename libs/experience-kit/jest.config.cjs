module.exports = require('../../jest.shared.cjs')('experience-kit');
