import { GatehouseError } from '../../errors/gatehouse-error.js';
import { isToolResult } from '../../tools/tool-result.js';
import type { Stage } from '../stage.js';

/**
 * Closest to the handler: holds plain results to the declared output schema
 * before any later stage (freshness, PII masking, idempotency) reads them.
 * A client validates against the schema it was shown, so a mismatch is the
 * server's bug (`internal_error`), not the caller's.
 */
export const checkOutputStage: Stage = {
  name: 'check-output',
  after(call, outcome) {
    const validate = call.tool.validateOutput;
    if (validate === undefined || outcome.kind !== 'value' || !call.ran || isToolResult(outcome.value)) return undefined;
    const checked = validate(outcome.value);
    if (checked.ok) return { kind: 'value', value: checked.value };
    const cause = new Error(`tool ${call.tool.name} returned output that does not match its output schema: ${checked.error.message}`);
    call.context.logger.error({ err: cause, tool: call.tool.name }, 'tool output rejected');
    return { kind: 'error', error: new GatehouseError('internal_error', { cause }) };
  },
};
