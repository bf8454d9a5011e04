import type { GatehouseError } from '../errors/gatehouse-error.js';
import type { CompiledTool } from '../protocol/compile-tool.js';
import type { ToolOutcome } from '../protocol/tool-invoker.js';
import type { CallContext } from '../protocol/request-context.js';

/** One tool call travelling through the pipeline. */
export interface ToolCall {
  readonly tool: CompiledTool;
  /** The call's arguments; tenancy stages may take out the workspace argument or fill in a profile. */
  arguments: Readonly<Record<string, unknown>>;
  /** The validated input, set by the `validate-input` stage. */
  input: unknown;
  readonly context: CallContext;
}

/**
 * A named pipeline stage. `before` runs ahead of the handler and may refuse
 * the call with a catalogue error; `after` may rewrite the outcome. A stage
 * never formats wire output.
 */
export interface Stage {
  readonly name: string;
  before?(call: ToolCall): GatehouseError | undefined | Promise<GatehouseError | undefined>;
  after?(call: ToolCall, outcome: ToolOutcome): ToolOutcome | Promise<ToolOutcome>;
}
