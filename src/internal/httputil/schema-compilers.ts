/**
 * Two Ajv instances: bodies are checked strictly (a string "5" is not the integer 5, as the spec's
 * JSON requires), while query strings and path parameters are coerced from their text form.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import type { FastifySchema } from 'fastify';

const strict = new Ajv({ allErrors: false, coerceTypes: false, useDefaults: true, strict: false });
const coercing = new Ajv({ allErrors: false, coerceTypes: 'array', useDefaults: true, strict: false });

const cache = new WeakMap<object, ValidateFunction>();

/** Fastify's validatorCompiler hook. */
export function compileValidator({ schema, httpPart }: { schema: FastifySchema; httpPart?: string }): ValidateFunction {
  const key = schema as object;
  const hit = cache.get(key);
  if (hit && httpPart === 'body') return hit;
  const fn = (httpPart === 'body' ? strict : coercing).compile(schema as object);
  if (httpPart === 'body') cache.set(key, fn);
  return fn;
}
