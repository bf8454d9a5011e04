import type { Principal } from '../auth/principal.js';
import type { GatehouseError } from '../errors/gatehouse-error.js';
import type { CompiledTool } from './compile-tool.js';

/**
 * Who may see and call which tool. The protocol core asks it for `tools/list`;
 * the policy pipeline asks it before every call. Implementations decide once
 * per principal and tool what they can, so the hot path stays a lookup.
 */
export interface ToolGate {
  /** Whether `tools/list` shows the tool to this principal. */
  visible(principal: Principal, tool: CompiledTool): boolean;
  /** Why this principal, acting with `role`, may not call the tool; `undefined` when it may. */
  refusal(principal: Principal, role: string | undefined, tool: CompiledTool): GatehouseError | undefined;
}
