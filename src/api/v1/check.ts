import type { TSchema } from 'typebox';
import { Compile } from 'typebox/compile';

const compiled = new WeakMap<TSchema, ReturnType<typeof Compile>>();

/**
 * Checks a value the route schema could not see whole (a JSON merge patch
 * merged into the stored document) and fails exactly like request
 * validation: 400 validation_failed with the path of each problem.
 */
export function assertBody(schema: TSchema, value: unknown): void {
  let check = compiled.get(schema);
  if (!check) {
    check = Compile(schema);
    compiled.set(schema, check);
  }
  if (check.Check(value)) return;
  throw Object.assign(new Error('The request body does not match the schema.'), { statusCode: 400, validation: check.Errors(value), validationContext: 'body' });
}
