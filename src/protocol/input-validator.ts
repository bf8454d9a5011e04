import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { z } from 'zod';
import { GatehouseError } from '../errors/gatehouse-error.js';
import type { FieldIssue } from '../errors/details.js';

export type ValidationResult = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: GatehouseError };

/** Validates tool arguments once compiled; failures name the field (B-POL-09). */
export type InputValidator = (value: unknown) => ValidationResult;

function invalidInput(issues: readonly FieldIssue[]): ValidationResult {
  const first = issues[0] ?? { field: '(arguments)', message: 'Invalid input' };
  // Name the field unless the schema's own message already does ("A valid email address is required").
  const leaf = first.field.split(/[.[]/).at(-1) ?? first.field;
  const named = first.field === '(arguments)' || first.message.toLowerCase().includes(leaf.replace(/_/g, ' ').toLowerCase()) || first.message.includes(leaf);
  const message = named ? first.message : `${first.field}: ${first.message}`;
  return { ok: false, error: new GatehouseError('invalid_input', { message, details: { field: first.field, issues } }) };
}

function fieldName(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(arguments)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

export function zodValidator(schema: z.ZodType): InputValidator {
  return (value) => {
    const parsed = schema.safeParse(value);
    if (parsed.success) return { ok: true, value: parsed.data };
    return invalidInput(parsed.error.issues.map((i) => ({ field: fieldName(i.path), message: i.message })));
  };
}

let ajv: Ajv2020 | undefined;

function sharedAjv(): Ajv2020 {
  if (ajv === undefined) {
    ajv = new Ajv2020({ allErrors: true, strict: false });
    (addFormats as unknown as (a: Ajv2020) => void)(ajv);
  }
  return ajv;
}

/** Compiles a raw JSON Schema (2020-12) once, at start-up. */
export function jsonSchemaValidator(schema: Readonly<Record<string, unknown>>): InputValidator {
  const validate = sharedAjv().compile(schema);
  return (value) => {
    if (validate(value)) return { ok: true, value };
    const issues = (validate.errors ?? []).map((e) => {
      const missing = e.keyword === 'required' ? String((e.params as { missingProperty?: string }).missingProperty) : undefined;
      const path = e.instancePath.split('/').filter(Boolean);
      if (missing !== undefined) path.push(missing);
      const field = path.length === 0 ? '(arguments)' : path.join('.');
      return { field, message: missing === undefined ? (e.message ?? 'is invalid') : 'is required' };
    });
    return invalidInput(issues);
  };
}
