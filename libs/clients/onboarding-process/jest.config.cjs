module.exports = require('../../../jest.shared.cjs')('clients-onboarding-process');
