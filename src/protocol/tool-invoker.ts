import type { GatehouseError } from '../errors/gatehouse-error.js';
import type { InputRequired } from '../tools/input-required.js';
import type { CallContext } from './request-context.js';
import type { CompiledTool } from './compile-tool.js';

export interface ToolInvocation {
  readonly tool: CompiledTool;
  /** Arguments as received: an object, not yet validated. */
  readonly arguments: Readonly<Record<string, unknown>>;
  readonly context: CallContext;
}

/** What running a tool produced, before it is encoded for the wire. */
export type ToolOutcome =
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'input_required'; readonly request: InputRequired }
  | { readonly kind: 'error'; readonly error: GatehouseError };

/**
 * Runs one tool call: the policy pipeline implements it, so the protocol core
 * stays free of authorization, limits and storage.
 */
export interface ToolInvoker {
  /** Synchronous when every stage and the handler are: the hot path then awaits nothing. */
  invoke(invocation: ToolInvocation): ToolOutcome | Promise<ToolOutcome>;
}
