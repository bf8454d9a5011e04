import type { Principal } from '../../auth/principal.js';
import type { Era, Exchange } from '../exchange.js';
import { encodeToolError, encodeToolValue } from '../encode-tool-result.js';
import { runInputRounds, type RoundResult, type RoundsOutcome } from '../input-rounds.js';
import type { CompiledTool } from '../compile-tool.js';
import type { ToolOutcome } from '../tool-invoker.js';
import type { MethodDeps } from '../method-deps.js';
import { invalidParams, isRecord, type MethodTable } from '../method-handler.js';
import { modernResult } from '../modern-result.js';
import type { Outcome } from '../outcome.js';
import { CallContext } from '../request-context.js';

/**
 * `tools/list` and `tools/call`. The list is serialised once per revision at
 * start-up; a call is a map lookup, the invoker (policy pipeline) and one encode.
 */
export function toolMethods(deps: MethodDeps): MethodTable {
  const serialise = (list: readonly CompiledTool[]): Record<Era, string> => {
    const tools = list.map((t) => t.descriptor);
    return { modern: JSON.stringify(modernResult({ tools }, deps.server, deps.listCache)), legacy: JSON.stringify({ tools }) };
  };
  const everyTool = serialise(deps.registry.toolList);
  // Each distinct set of visible tools is serialised once; each principal (cached
  // per credential by the authenticators) finds its set with one WeakMap lookup.
  const bySet = new Map<string, Record<Era, string>>();
  const byPrincipal = new WeakMap<Principal, Record<Era, string>>();
  const gate = deps.toolGate;
  const listFor = (principal: Principal): Record<Era, string> => {
    if (gate === undefined) return everyTool;
    let json = byPrincipal.get(principal);
    if (json === undefined) {
      const visible = deps.registry.toolList.filter((t) => gate.visible(principal, t));
      const key = visible.map((t) => t.name).join('\n');
      json = bySet.get(key) ?? serialise(visible);
      bySet.set(key, json);
      byPrincipal.set(principal, json);
    }
    return json;
  };
  // What closes a tools/call result object in each revision, serialised once.
  const close: Record<Era, string> = { modern: `${JSON.stringify(modernResult({}, deps.server)).slice(1, -1).replace(/^/, ',')}}`, legacy: '}' };

  function settled(result: Exclude<ToolOutcome, { kind: 'input_required' }>): Exclude<RoundResult<unknown>, { kind: 'input' }> {
    return result.kind === 'value' ? { kind: 'done', value: result.value } : result;
  }

  function round(result: ToolOutcome): RoundResult<unknown> {
    return result.kind === 'input_required' ? { kind: 'input', request: result.request } : settled(result);
  }

  function call(params: Readonly<Record<string, unknown>>, ex: Exchange): Outcome | Promise<Outcome> {
    const name = params.name;
    if (typeof name !== 'string') return invalidParams('Invalid params: name is required and must be a string', { field: 'name' });
    const tool = deps.registry.tools.get(name);
    if (tool === undefined) return invalidParams(`Unknown tool: ${name}`, { field: 'name', tool: name });
    const args = params.arguments ?? {};
    if (!isRecord(args)) return invalidParams('Invalid params: arguments must be an object', { field: 'arguments' });
    const run = (responses: Readonly<Record<string, unknown>>, state: unknown) =>
      deps.invoker.invoke({ tool, arguments: args, context: new CallContext(ex, responses, state) });
    const rounds = (first?: RoundResult<unknown>) =>
      runInputRounds(ex, params, { method: 'tools/call', name, credentialId: ex.principal.credentialId }, deps.requestState, async (r, s) => round(await run(r, s)), first).then(
        (outcome) => encode(outcome, ex),
      );

    // A first call with no input answers: run it directly, synchronously when the pipeline is.
    if (params.requestState !== undefined || params.inputResponses !== undefined) return rounds();
    const first = run({}, undefined);
    if (first instanceof Promise) return first.then((o) => (o.kind === 'input_required' ? rounds(round(o)) : encode(settled(o), ex)));
    return first.kind === 'input_required' ? rounds(round(first)) : encode(settled(first), ex);
  }

  function encode(outcome: RoundsOutcome<unknown>, ex: Exchange): Outcome {
    switch (outcome.kind) {
      case 'input_required':
        return { kind: 'result', result: modernResult(outcome.result, deps.server) };
      case 'error':
        // -32602 (bad requestState) and -32021 are protocol errors; everything else is a tool error the model can read.
        if (outcome.error.code === 'invalid_params' || (outcome.error.code === 'missing_client_capability' && ex.era === 'modern')) {
          return { kind: 'error', origin: 'handler', error: outcome.error };
        }
        return finish(encodeToolError(outcome.error, ex.requestId), ex);
      case 'done': {
        const encoded = encodeToolValue(outcome.value);
        if ('open' in encoded) return { kind: 'json', json: encoded.open + close[ex.era] };
        return finish(encoded.result, ex);
      }
    }
  }

  function finish(result: Record<string, unknown>, ex: Exchange): Outcome {
    return { kind: 'result', result: ex.era === 'modern' ? modernResult(result, deps.server) : result };
  }

  return {
    'tools/list': (_params, ex) => ({ kind: 'json', json: listFor(ex.principal)[ex.era] }),
    'tools/call': call,
  };
}
