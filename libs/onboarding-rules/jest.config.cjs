module.exports = require('../../jest.shared.cjs')('onboarding-rules');
