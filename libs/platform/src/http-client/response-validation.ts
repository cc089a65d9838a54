import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { TSchema } from '@sinclair/typebox';
import type { ContractIssue } from './errors';

/** Enough to diagnose a drift without building a huge error for a huge bad array. */
const MAX_ISSUES = 20;

/**
 * Checks downstream answers against the same TypeBox contract the downstream serves, so a drifted
 * or buggy service is caught at the boundary instead of deep inside a workflow.
 *
 * One instance per client: its Ajv knows only the shared schemas (`$id`, used through `Type.Ref`)
 * that this client was given. Compiled validators are cached per schema object — contracts are
 * module-level constants, so each one compiles once.
 */
export class ResponseValidator {
  private readonly ajv: Ajv;
  private readonly compiled = new WeakMap<TSchema, ValidateFunction>();

  constructor(sharedSchemas: readonly TSchema[] = []) {
    this.ajv = new Ajv({
      coerceTypes: false, // a number is not an SSN: answers are checked as sent
      useDefaults: false, // never invent fields the downstream did not send
      removeAdditional: false,
      allErrors: true, // report every drifted field in one go
      strict: false, // TypeBox adds annotation keywords Ajv does not know
      // Compiling must not register `$id`s: two contracts may embed the same shared schema.
      addUsedSchema: false,
    });
    addFormats(this.ajv);
    for (const schema of sharedSchemas) {
      if (typeof schema.$id !== 'string') throw new Error('a shared schema needs an $id to be referenced');
      if (!this.ajv.getSchema(schema.$id)) this.ajv.addSchema(schema);
    }
  }

  /** Problems found in `value`, or an empty list when it matches `schema`. */
  issues(schema: TSchema, value: unknown): ContractIssue[] {
    const validate = this.validatorFor(schema);
    if (validate(value)) return [];
    return (validate.errors ?? []).slice(0, MAX_ISSUES).map((error) => ({
      path: error.instancePath,
      message: error.message ?? 'is invalid',
    }));
  }

  private validatorFor(schema: TSchema): ValidateFunction {
    let validate = this.compiled.get(schema);
    if (!validate) {
      validate = this.ajv.compile(schema);
      this.compiled.set(schema, validate);
    }
    return validate;
  }
}
