import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifyInstance } from 'fastify';

function buildAjv(coerceTypes: boolean | 'array'): Ajv {
  const ajv = new Ajv({
    coerceTypes,
    removeAdditional: false, // unknown fields are refused (schemas say additionalProperties: false)
    useDefaults: true,
    allErrors: false,
    strict: false, // TypeBox adds annotation keywords
  });
  addFormats(ajv);
  return ajv;
}

/**
 * Bodies are validated strictly — a number is not an SSN, an unknown field is an error — while
 * path and query strings are coerced to the declared number/boolean types.
 * Shared schemas (`app.addSchema`, referenced with `Type.Ref`) are added as routes compile.
 */
export function registerValidation(app: FastifyInstance): void {
  const strict = buildAjv(false);
  const coercing = buildAjv('array');
  const syncSharedSchemas = () => {
    for (const schema of Object.values(app.getSchemas()) as Array<{ $id?: string }>) {
      for (const ajv of [strict, coercing]) {
        if (schema.$id && !ajv.getSchema(schema.$id)) ajv.addSchema(schema);
      }
    }
  };
  app.setValidatorCompiler(({ schema, httpPart }) => {
    syncSharedSchemas();
    return (httpPart === 'body' ? strict : coercing).compile(schema);
  });
}
