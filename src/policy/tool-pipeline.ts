import type { ToolInvocation, ToolInvoker, ToolOutcome } from '../protocol/tool-invoker.js';
import { runHandlerWithDeadline } from './run-handler-with-deadline.js';
import type { Stage, ToolCall } from './stage.js';

/**
 * The fixed, named list of stages around every tool handler. Stages run in
 * order before the handler and in reverse order after it; the first refusal
 * ends the call before the handler runs. When every stage and the handler
 * answer synchronously, so does the pipeline: the hot path allocates no
 * promise it does not need.
 */
export class ToolPipeline implements ToolInvoker {
  constructor(
    readonly stages: readonly Stage[],
    private readonly options: { readonly toolTimeoutMs: number },
  ) {}

  invoke(invocation: ToolInvocation): ToolOutcome | Promise<ToolOutcome> {
    const call: ToolCall = { tool: invocation.tool, arguments: invocation.arguments, input: undefined, context: invocation.context };
    return this.#before(call, 0);
  }

  #before(call: ToolCall, from: number): ToolOutcome | Promise<ToolOutcome> {
    for (let i = from; i < this.stages.length; i++) {
      const refusal = this.stages[i]?.before?.(call);
      if (refusal instanceof Promise) {
        return refusal.then((r) => (r === undefined ? this.#before(call, i + 1) : this.#after(call, i, { kind: 'error', error: r })));
      }
      if (refusal !== undefined) return this.#after(call, i, { kind: 'error', error: refusal });
    }
    const last = this.stages.length - 1;
    const handled = runHandlerWithDeadline(call, this.options.toolTimeoutMs);
    return handled instanceof Promise ? handled.then((o) => this.#after(call, last, o)) : this.#after(call, last, handled);
  }

  #after(call: ToolCall, from: number, outcome: ToolOutcome): ToolOutcome | Promise<ToolOutcome> {
    for (let i = from; i >= 0; i--) {
      const next = this.stages[i]?.after?.(call, outcome);
      if (next === undefined) continue;
      if (next instanceof Promise) return next.then((o) => this.#after(call, i - 1, o));
      outcome = next;
    }
    return outcome;
  }
}
