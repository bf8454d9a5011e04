import type { GatehouseError } from '../errors/gatehouse-error.js';
import type { CompiledTool } from '../protocol/compile-tool.js';
import type { ToolOutcome } from '../protocol/tool-invoker.js';
import type { CallContext } from '../protocol/request-context.js';
import type { ToolContext } from '../tools/tool-context.js';

/** One tool call travelling through the pipeline. */
export interface ToolCall {
  readonly tool: CompiledTool;
  /** The call's arguments; tenancy stages may take out the workspace argument or fill in a profile. */
  arguments: Readonly<Record<string, unknown>>;
  /** The validated input, set by the `validate-input` stage. */
  input: unknown;
  readonly context: CallContext;
  /** The policy arguments Gatehouse adds to a tool's schema, taken out before validation. */
  confirm: boolean;
  idempotencyKey: string | undefined;
  includeSensitive: boolean;
  /** Runs instead of the tool's handler (an add-on serves the call). */
  run: ((input: unknown, ctx: ToolContext) => unknown) | undefined;
  /** Set once the handler (or `run`) was started: `after` stages that judge the handler look at it. */
  ran: boolean;
  /** `performance.now()` when the call entered the pipeline. */
  readonly startedAt: number;
}

/** What a stage's `before` answers: go on (`undefined`), refuse (a catalogue error), or answer in the handler's place. */
export type StageVerdict = GatehouseError | ToolOutcome | undefined;

/**
 * A named pipeline stage. `before` runs ahead of the handler and may refuse
 * the call with a catalogue error or answer it (a replayed result, a question
 * for the user); `after` may rewrite the outcome. A stage never formats wire output.
 */
export interface Stage {
  readonly name: string;
  before?(call: ToolCall): StageVerdict | Promise<StageVerdict>;
  after?(call: ToolCall, outcome: ToolOutcome): ToolOutcome | undefined | Promise<ToolOutcome | undefined>;
}
