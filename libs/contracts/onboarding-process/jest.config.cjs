module.exports = require('../../../jest.shared.cjs')('contracts-onboarding-process');
