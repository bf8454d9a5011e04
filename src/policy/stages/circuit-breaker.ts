import { errorCatalog } from '../../errors/catalog.js';
import { GatehouseError } from '../../errors/gatehouse-error.js';
import type { CompiledTool } from '../../protocol/compile-tool.js';
import type { ToolOutcome } from '../../protocol/tool-invoker.js';
import type { BreakerVerdict, CircuitBreakers } from '../circuit-breakers.js';
import type { Stage, ToolCall } from '../stage.js';

/** Only server-side failures count: a 5xx catalogue code (internal_error, timeout…), never a caller's mistake. */
function isServerFailure(outcome: ToolOutcome): boolean {
  return outcome.kind === 'error' && errorCatalog[outcome.error.code].http >= 500;
}

/** A breaker per organization and connector (tools sharing an integration fail together) or tool; add-on tools per user. */
function subjectOf(call: ToolCall): string {
  const def = call.tool.definition;
  return def.connector === undefined ? `tool:${def.name}` : `connector:${def.connector}`;
}

/**
 * Last stage before the handler (B-POL-04): an open breaker refuses with
 * `circuit_open` and the remaining cool-down; after the cool-down one trial
 * call runs and its outcome closes or re-opens the breaker.
 */
export function circuitBreakerStage(breakers: CircuitBreakers): Stage {
  const judge = (call: ToolCall, verdict: BreakerVerdict): GatehouseError | undefined => {
    if (verdict.kind !== 'open') return undefined;
    const retryAfter = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
    const what = call.tool.definition.connector === undefined ? `the tool ${call.tool.name}` : `the ${call.tool.definition.connector} connector`;
    return new GatehouseError('circuit_open', {
      message: `Calls to ${what} failed repeatedly and are paused for this organization. Retry in ${retryAfter} s; if it fails again, look into the underlying failures.`,
      details: { retry_after: retryAfter, tool: call.tool.name, ...(call.tool.definition.connector === undefined ? {} : { connector: call.tool.definition.connector }) },
    });
  };
  // Built once per tool, not per call.
  const subjects = new WeakMap<CompiledTool, string>();
  const subject = (call: ToolCall): string => {
    // An add-on runs on one user's machine: its failures say nothing about anyone else's, so its breaker is per user.
    const addon = call.tool.definition.addon;
    if (addon !== undefined) return `addon:${addon}:${call.context.principal.userId}`;
    let s = subjects.get(call.tool);
    if (s === undefined) subjects.set(call.tool, (s = subjectOf(call)));
    return s;
  };
  return {
    name: 'circuit-breaker',
    before(call) {
      const org = call.context.organization;
      if (org === null) return undefined;
      const verdict = breakers.admit(org.id, subject(call));
      return verdict instanceof Promise ? verdict.then((v) => judge(call, v)) : judge(call, verdict);
    },
    after(call, outcome) {
      const org = call.context.organization;
      if (org === null || !call.ran) return undefined;
      const recorded = breakers.record(org.id, subject(call), isServerFailure(outcome));
      return recorded instanceof Promise ? recorded.then(() => undefined) : undefined;
    },
  };
}
