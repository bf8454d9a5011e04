import type { ToolGate } from '../../protocol/tool-gate.js';
import type { Stage } from '../stage.js';

/**
 * First stage: the tool's scope and role gates (B-TEN-02, B-TEN-03). A hidden
 * tool called by name is refused here, before its input is even read.
 */
export function authorizeToolStage(gate: ToolGate): Stage {
  return {
    name: 'authorize',
    before: (call) => {
      const ctx = call.context;
      return gate.refusal(ctx.principal, ctx.organization?.role ?? ctx.principal.role, call.tool);
    },
  };
}
