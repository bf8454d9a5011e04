import { GatehouseError } from '../errors/gatehouse-error.js';
import type { ToolInvocation, ToolInvoker, ToolOutcome } from '../protocol/tool-invoker.js';
import { runHandlerWithDeadline } from './run-handler-with-deadline.js';
import type { Stage, StageVerdict, ToolCall } from './stage.js';

function asOutcome(verdict: Exclude<StageVerdict, undefined>): ToolOutcome {
  return verdict instanceof GatehouseError ? { kind: 'error', error: verdict } : verdict;
}

/**
 * The fixed, named list of stages around every tool handler. Stages run in
 * order before the handler and in reverse order after it; the first stage
 * that refuses or answers ends the way in, and only the stages already passed
 * see the outcome on the way out. When every stage and the handler answer
 * synchronously, so does the pipeline: the hot path allocates no promise it
 * does not need.
 */
export class ToolPipeline implements ToolInvoker {
  constructor(
    readonly stages: readonly Stage[],
    private readonly options: { readonly toolTimeoutMs: number },
  ) {}

  invoke(invocation: ToolInvocation): ToolOutcome | Promise<ToolOutcome> {
    const call: ToolCall = {
      tool: invocation.tool,
      arguments: invocation.arguments,
      input: undefined,
      context: invocation.context,
      confirm: false,
      idempotencyKey: undefined,
      includeSensitive: false,
      run: undefined,
      ran: false,
      startedAt: performance.now(),
    };
    return this.#before(call, 0);
  }

  #before(call: ToolCall, from: number): ToolOutcome | Promise<ToolOutcome> {
    for (let i = from; i < this.stages.length; i++) {
      const verdict = this.stages[i]?.before?.(call);
      if (verdict instanceof Promise) {
        return verdict.then((v) => (v === undefined ? this.#before(call, i + 1) : this.#after(call, i, asOutcome(v))));
      }
      if (verdict !== undefined) return this.#after(call, i, asOutcome(verdict));
    }
    const last = this.stages.length - 1;
    call.ran = true;
    const handled = runHandlerWithDeadline(call, this.options.toolTimeoutMs);
    return handled instanceof Promise ? handled.then((o) => this.#after(call, last, o)) : this.#after(call, last, handled);
  }

  #after(call: ToolCall, from: number, outcome: ToolOutcome): ToolOutcome | Promise<ToolOutcome> {
    for (let i = from; i >= 0; i--) {
      const next = this.stages[i]?.after?.(call, outcome);
      if (next === undefined) continue;
      if (next instanceof Promise) return next.then((o) => this.#after(call, i - 1, o ?? outcome));
      outcome = next;
    }
    return outcome;
  }
}
