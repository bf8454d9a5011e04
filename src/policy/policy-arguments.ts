import { GatehouseError } from '../errors/gatehouse-error.js';
import type { ToolDefinition } from '../tools/define-tool.js';
import type { Stage } from './stage.js';

export const CONFIRM = 'confirm';
export const IDEMPOTENCY_KEY = 'idempotency_key';
export const INCLUDE_SENSITIVE = 'include_sensitive';

const KEY = /^[\x21-\x7e]{1,255}$/;

/** The arguments a tool's policy adds to its input schema (B-POL-01, B-POL-03, B-POL-08). */
export function policyArguments(def: ToolDefinition): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  if (def.destructive !== undefined && def.destructive !== false) {
    out[CONFIRM] = { type: 'boolean', description: 'This tool cannot be undone. Set to true only after the user agreed to what the confirmation summary describes.' };
  }
  if (def.idempotent === true) {
    out[IDEMPOTENCY_KEY] = {
      type: 'string',
      minLength: 1,
      maxLength: 255,
      description: 'A unique key for this operation (a UUID). Retrying with the same key returns the first result instead of doing it twice; never reuse a key for a different operation.',
    };
  }
  if (def.pii !== undefined && def.pii.length > 0) {
    out[INCLUDE_SENSITIVE] = { type: 'boolean', description: 'Ask for personal data unmasked. Honoured only with the mcp:read_pii scope and when the organization allows it.' };
  }
  return out;
}

function invalid(field: string, message: string): GatehouseError {
  return new GatehouseError('invalid_input', { message: `${field}: ${message}`, details: { field, issues: [{ field, message }] } });
}

/**
 * Takes the policy arguments out of the call before the tool's own schema
 * sees them, so tools never declare or read them.
 */
export const policyArgumentsStage: Stage = {
  name: 'policy-arguments',
  before(call) {
    const def = call.tool.definition;
    // Most tools have none: the hot path only reads three fields.
    if ((def.destructive === undefined || def.destructive === false) && def.idempotent !== true && (def.pii === undefined || def.pii.length === 0)) return undefined;
    const { [CONFIRM]: confirm, [IDEMPOTENCY_KEY]: key, [INCLUDE_SENSITIVE]: sensitive, ...rest } = call.arguments;
    if (confirm !== undefined && typeof confirm !== 'boolean') return invalid(CONFIRM, 'must be true or false');
    if (sensitive !== undefined && typeof sensitive !== 'boolean') return invalid(INCLUDE_SENSITIVE, 'must be true or false');
    if (key !== undefined && (typeof key !== 'string' || !KEY.test(key))) return invalid(IDEMPOTENCY_KEY, 'must be 1–255 visible ASCII characters');
    const header = call.context.idempotencyKey;
    if (header !== undefined && !KEY.test(header)) return invalid(IDEMPOTENCY_KEY, 'the Idempotency-Key header must be 1–255 visible ASCII characters');
    if (typeof key === 'string' && header !== undefined && header !== key) return invalid(IDEMPOTENCY_KEY, 'differs from the Idempotency-Key header; send one or make them equal');
    call.arguments = rest;
    call.confirm = confirm === true;
    call.includeSensitive = sensitive === true;
    if (def.idempotent === true) call.idempotencyKey = typeof key === 'string' ? key : header;
    return undefined;
  },
};
