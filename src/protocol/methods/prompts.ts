import type { Exchange } from '../exchange.js';
import { runInputRounds } from '../input-rounds.js';
import type { MethodDeps } from '../method-deps.js';
import { invalidParams, isRecord, type MethodTable } from '../method-handler.js';
import { modernResult } from '../modern-result.js';
import type { Outcome } from '../outcome.js';
import { CallContext } from '../request-context.js';
import { runHandler } from '../run-handler.js';

/** `prompts/list` and `prompts/get`. */
export function promptMethods(deps: MethodDeps): MethodTable {
  const prompts = [...deps.registry.prompts.values()].map((p) => ({
    name: p.name,
    ...(p.title === undefined ? {} : { title: p.title }),
    description: p.description,
    arguments: p.arguments,
  }));

  async function get(params: Readonly<Record<string, unknown>>, ex: Exchange): Promise<Outcome> {
    const name = params.name;
    if (typeof name !== 'string') return invalidParams('Invalid params: name is required and must be a string', { field: 'name' });
    const prompt = deps.registry.prompts.get(name);
    if (prompt === undefined) return invalidParams(`Unknown prompt: ${name}`, { field: 'name', prompt: name });
    const raw = params.arguments ?? {};
    if (!isRecord(raw) || !Object.values(raw).every((v) => typeof v === 'string')) {
      return invalidParams('Invalid params: arguments must be an object of strings', { field: 'arguments' });
    }
    const args = raw as Record<string, string>;
    const missing = prompt.arguments.find((a) => a.required === true && args[a.name] === undefined);
    if (missing !== undefined) return invalidParams(`Missing required argument: ${missing.name}`, { field: `arguments.${missing.name}` });

    const binding = { method: 'prompts/get', name, credentialId: ex.principal.credentialId };
    const outcome = await runInputRounds(ex, params, binding, deps.requestState, (responses, state) =>
      runHandler(() => prompt.handler(args, new CallContext(ex, responses, state)), ex.logger),
    );
    if (outcome.kind === 'error') return { kind: 'error', origin: 'handler', error: outcome.error };
    if (outcome.kind === 'input_required') return { kind: 'result', result: modernResult(outcome.result, deps.server) };
    const result = { ...(outcome.value.description === undefined ? {} : { description: outcome.value.description }), messages: outcome.value.messages };
    return { kind: 'result', result: ex.era === 'modern' ? modernResult(result, deps.server) : result };
  }

  return {
    'prompts/list': (_params, ex) => ({
      kind: 'result',
      result: ex.era === 'modern' ? modernResult({ prompts }, deps.server, deps.listCache) : { prompts },
    }),
    'prompts/get': get,
  };
}
