import type { Completer } from '../../tools/define-prompt.js';
import type { Exchange } from '../exchange.js';
import type { MethodDeps } from '../method-deps.js';
import { invalidParams, isRecord, type MethodTable } from '../method-handler.js';
import { modernResult } from '../modern-result.js';
import type { Outcome } from '../outcome.js';
import { CallContext } from '../request-context.js';
import { runHandler } from '../run-handler.js';

const MAX_VALUES = 100;

/** `completion/complete`: argument suggestions for prompts and resource templates. */
export function completionMethods(deps: MethodDeps): MethodTable {
  function completerFor(ref: Record<string, unknown>, argument: string): Completer | undefined | 'unknown' {
    if (ref.type === 'ref/prompt' && typeof ref.name === 'string') {
      const prompt = deps.registry.prompts.get(ref.name);
      return prompt === undefined ? 'unknown' : prompt.complete?.[argument];
    }
    if (ref.type === 'ref/resource' && typeof ref.uri === 'string') {
      const t = deps.registry.templates.find((c) => c.definition.uriTemplate === ref.uri);
      return t === undefined ? 'unknown' : t.definition.complete?.[argument];
    }
    return 'unknown';
  }

  async function complete(params: Readonly<Record<string, unknown>>, ex: Exchange): Promise<Outcome> {
    const { ref, argument, context } = params;
    if (!isRecord(ref)) return invalidParams('Invalid params: ref is required', { field: 'ref' });
    if (!isRecord(argument) || typeof argument.name !== 'string' || typeof argument.value !== 'string') {
      return invalidParams('Invalid params: argument must be {name, value} strings', { field: 'argument' });
    }
    const completer = completerFor(ref, argument.name);
    if (completer === 'unknown') return invalidParams('Invalid params: ref names no prompt or resource template', { field: 'ref' });
    const args = isRecord(context) && isRecord(context.arguments) ? (context.arguments as Record<string, string>) : {};
    const request = new CallContext(ex, {}, undefined);
    const values =
      completer === undefined
        ? { kind: 'done' as const, value: [] as readonly string[] }
        : await runHandler(() => completer(argument.value as string, { arguments: args, request }), ex.logger);
    if (values.kind === 'error') return { kind: 'error', origin: 'handler', error: values.error };
    const all = values.kind === 'done' ? values.value : [];
    const completion = { values: all.slice(0, MAX_VALUES), total: all.length, hasMore: all.length > MAX_VALUES };
    return { kind: 'result', result: ex.era === 'modern' ? modernResult({ completion }, deps.server) : { completion } };
  }

  return { 'completion/complete': complete };
}
