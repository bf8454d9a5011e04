import { GatehouseError } from '../../errors/gatehouse-error.js';
import type { ResourceContents } from '../../tools/content.js';
import type { ReadResult, ResourceInfo } from '../../tools/define-resource.js';
import type { InputRequired } from '../../tools/input-required.js';
import type { Exchange } from '../exchange.js';
import { runInputRounds } from '../input-rounds.js';
import type { MethodDeps } from '../method-deps.js';
import { invalidParams, type MethodTable } from '../method-handler.js';
import { modernResult } from '../modern-result.js';
import type { Outcome } from '../outcome.js';
import { CallContext } from '../request-context.js';
import { runHandler } from '../run-handler.js';

function describe(r: ResourceInfo): Record<string, unknown> {
  return Object.fromEntries(Object.entries(r).filter(([k, v]) => v !== undefined && ['uri', 'name', 'title', 'description', 'mimeType', 'size'].includes(k)));
}

/** `resources/list`, `resources/templates/list`, `resources/read` and, for 2025-11-25 sessions, subscribe/unsubscribe. */
export function resourceMethods(deps: MethodDeps): MethodTable {
  const { registry } = deps;
  const staticList = [...registry.resources.values()].map(describe);
  const templateList = registry.templates.map(({ definition: t }) =>
    Object.fromEntries(
      Object.entries({ uriTemplate: t.uriTemplate, name: t.name, title: t.title, description: t.description, mimeType: t.mimeType }).filter(
        ([, v]) => v !== undefined,
      ),
    ),
  );

  function finish(result: Record<string, unknown>, ex: Exchange, cacheable: boolean): Outcome {
    return { kind: 'result', result: ex.era === 'modern' ? modernResult(result, deps.server, cacheable ? deps.listCache : undefined) : result };
  }

  async function list(_params: Readonly<Record<string, unknown>>, ex: Exchange): Promise<Outcome> {
    const ctx = new CallContext(ex, {}, undefined);
    const listed = await runHandler(async () => {
      const lists = await Promise.all(registry.templates.map(async ({ definition }) => (await definition.list?.(ctx)) ?? []));
      return lists.flat().map(describe);
    }, ex.logger);
    if (listed.kind !== 'done') return { kind: 'error', origin: 'handler', error: listed.kind === 'error' ? listed.error : new GatehouseError('internal_error') };
    return finish({ resources: [...staticList, ...listed.value] }, ex, true);
  }

  async function read(params: Readonly<Record<string, unknown>>, ex: Exchange): Promise<Outcome> {
    const uri = params.uri;
    if (typeof uri !== 'string' || uri === '') return invalidParams('Invalid params: uri is required and must be a string', { field: 'uri' });
    const reader = resolve(uri);
    const notFound = (): Outcome => ({
      kind: 'error',
      origin: 'handler',
      error: new GatehouseError('resource_not_found', { message: `Resource not found: ${uri}`, details: { uri } }),
    });
    if (reader === undefined) return notFound();
    const binding = { method: 'resources/read', name: uri, credentialId: ex.principal.credentialId };
    const outcome = await runInputRounds(ex, params, binding, deps.requestState, (responses, state) =>
      runHandler(() => reader(new CallContext(ex, responses, state)), ex.logger),
    );
    if (outcome.kind === 'error') return { kind: 'error', origin: 'handler', error: outcome.error };
    if (outcome.kind === 'input_required') return { kind: 'result', result: modernResult(outcome.result, deps.server) };
    if (outcome.value === null) return notFound();
    const contents = (Array.isArray(outcome.value) ? outcome.value : [outcome.value]) as ResourceContents[];
    return finish({ contents: contents.map((c) => ({ ...c, uri: c.uri ?? uri })) }, ex, true);
  }

  type Reader = (ctx: CallContext) => ReadResult | null | InputRequired | Promise<ReadResult | null>;

  function resolve(uri: string): Reader | undefined {
    const fixed = registry.resources.get(uri);
    if (fixed !== undefined) return (ctx) => fixed.read(ctx);
    for (const { definition, template } of registry.templates) {
      const vars = template.match(uri);
      if (vars !== null) return (ctx) => definition.read(uri, vars, ctx);
    }
    return undefined;
  }

  function subscription(change: 'add' | 'remove') {
    return (params: Readonly<Record<string, unknown>>, ex: Exchange): Outcome => {
      if (typeof params.uri !== 'string') return invalidParams('Invalid params: uri is required and must be a string', { field: 'uri' });
      if (ex.session !== undefined) deps.subscriptions[change](ex.session.id, params.uri);
      return { kind: 'result', result: {} };
    };
  }

  return {
    'resources/list': list,
    'resources/templates/list': (_params, ex) => finish({ resourceTemplates: templateList }, ex, true),
    'resources/read': read,
    'resources/subscribe': subscription('add'),
    'resources/unsubscribe': subscription('remove'),
  };
}
