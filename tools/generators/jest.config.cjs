// One scratch copy of the workspace, three generators, then lint, typecheck and tests of what they made and the stack checks.
module.exports = require('../../jest.shared.cjs')('generators', { testTimeout: 900000 });
