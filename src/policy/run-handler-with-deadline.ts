import { normalizeError } from '../errors/error-body.js';
import { GatehouseError } from '../errors/gatehouse-error.js';
import type { ToolOutcome } from '../protocol/tool-invoker.js';
import { isInputRequired } from '../tools/input-required.js';
import type { ToolCall } from './stage.js';

function settled(call: ToolCall, value: unknown): ToolOutcome {
  return isInputRequired(value) ? { kind: 'input_required', request: value } : { kind: 'value', value };
}

function failed(call: ToolCall, thrown: unknown): ToolOutcome {
  const error = normalizeError(thrown);
  if (error.code === 'internal_error') call.context.logger.error({ err: thrown, tool: call.tool.name }, 'tool handler failed');
  return { kind: 'error', error };
}

/**
 * Runs the handler under the time limit. A handler that answers
 * synchronously pays for no timer at all; an asynchronous one races a timer
 * that, when it fires, aborts the call's signal and answers `timeout` — a
 * handler that ignores the signal is answered anyway and its late result dropped.
 */
export function runHandlerWithDeadline(call: ToolCall, timeoutMs: number): ToolOutcome | Promise<ToolOutcome> {
  let pending: unknown;
  try {
    pending = call.run === undefined ? call.tool.definition.handler(call.input as never, call.context) : call.run(call.input, call.context);
  } catch (thrown) {
    call.context.finish();
    return failed(call, thrown);
  }
  if (!(pending instanceof Promise)) {
    call.context.finish();
    return settled(call, pending);
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<ToolOutcome>((resolve) => {
    timer = setTimeout(() => {
      const error = new GatehouseError('timeout', {
        message: `The tool did not finish within ${timeoutMs} ms and was stopped.`,
        details: { timeout_ms: timeoutMs },
      });
      call.context.abort(error);
      resolve({ kind: 'error', error });
    }, timeoutMs);
  });
  const run = pending.then(
    (value: unknown) => settled(call, value),
    (thrown: unknown) => failed(call, thrown),
  );
  return Promise.race([run, deadline]).finally(() => {
    clearTimeout(timer);
    call.context.finish();
  });
}
