import { GatehouseError } from '../errors/gatehouse-error.js';
import { normalizeError } from '../errors/error-body.js';
import type { Exchange } from './exchange.js';
import type { JsonRpcRequest } from './jsonrpc.js';
import type { MethodDeps } from './method-deps.js';
import type { MethodHandler, MethodTable } from './method-handler.js';
import { completionMethods } from './methods/completion.js';
import { lifecycleMethods } from './methods/lifecycle.js';
import { promptMethods } from './methods/prompts.js';
import { resourceMethods } from './methods/resources.js';
import { toolMethods } from './methods/tools.js';
import type { Outcome } from './outcome.js';

const MODERN_ONLY = new Set(['server/discover', 'subscriptions/listen']);
const LEGACY_ONLY = new Set(['initialize', 'ping', 'logging/setLevel', 'resources/subscribe', 'resources/unsubscribe']);

function pick(table: MethodTable, exclude: ReadonlySet<string>): [string, MethodHandler][] {
  return Object.entries(table).filter(([m]) => !exclude.has(m));
}

/**
 * Routes one JSON-RPC request to its method, with one method table per
 * revision built at start-up. Methods of a capability the server does not
 * offer are absent, so they answer `-32601` like unknown ones.
 */
export class Dispatcher {
  readonly #modern: ReadonlyMap<string, MethodHandler>;
  readonly #legacy: ReadonlyMap<string, MethodHandler>;

  constructor(deps: MethodDeps) {
    const caps = deps.registry.capabilities;
    const all: MethodTable = {
      ...lifecycleMethods(deps),
      ...toolMethods(deps),
      ...(caps.prompts === undefined ? {} : promptMethods(deps)),
      ...(caps.resources === undefined ? {} : resourceMethods(deps)),
      ...(caps.completions === undefined ? {} : completionMethods(deps)),
    };
    this.#modern = new Map(pick(all, LEGACY_ONLY));
    this.#legacy = new Map(pick(all, MODERN_ONLY));
  }

  /** Synchronous methods answer without a promise; the hot path awaits only real work. */
  dispatch(request: JsonRpcRequest, ex: Exchange): Outcome | Promise<Outcome> {
    const handler = (ex.era === 'modern' ? this.#modern : this.#legacy).get(request.method);
    if (handler === undefined) {
      return {
        kind: 'error',
        origin: 'dispatch',
        error: new GatehouseError('method_not_found', { message: `Method not found: ${request.method}`, details: { method: request.method } }),
      };
    }
    // Method code returns outcomes; a throw is a bug or a dead dependency.
    const failed = (thrown: unknown): Outcome => {
      const error = normalizeError(thrown);
      if (error.code === 'internal_error') ex.logger.error({ err: thrown, method: request.method }, 'method failed');
      return { kind: 'error', origin: 'handler', error };
    };
    try {
      const outcome = handler(request.params ?? {}, ex);
      return outcome instanceof Promise ? outcome.catch(failed) : outcome;
    } catch (thrown) {
      return failed(thrown);
    }
  }
}
