import { randomUUID } from 'node:crypto';
import { GatehouseError } from '../errors/gatehouse-error.js';
import type { InputRequest } from '../tools/input-required.js';
import type { JsonRpcRequest, JsonRpcResponse } from './jsonrpc.js';

interface Pending {
  readonly credentialId: string;
  readonly settle: (response: JsonRpcResponse) => void;
}

/**
 * Correlates server-to-client requests (2025-11-25 sampling, elicitation,
 * roots) with the responses the client POSTs back. Ids are random, and a
 * response is only accepted from the credential the request was sent to.
 */
export class ClientRequestBroker {
  readonly #pending = new Map<string, Pending>();

  /**
   * Sends each input request with `send` and resolves with the results by
   * key. Rejects with a catalogue error on timeout, abort or a client error.
   */
  async ask(
    requests: Readonly<Record<string, InputRequest>>,
    options: { credentialId: string; send: (request: JsonRpcRequest) => void; signal: AbortSignal; timeoutMs: number },
  ): Promise<Record<string, unknown>> {
    const entries = await Promise.all(
      Object.entries(requests).map(async ([key, request]) => [key, await this.#one(request, options)] as const),
    );
    return Object.fromEntries(entries);
  }

  /** Accepts a POSTed response; `false` when nothing is waiting for it. */
  resolve(response: JsonRpcResponse, credentialId: string): boolean {
    const pending = this.#pending.get(String(response.id));
    if (pending === undefined || pending.credentialId !== credentialId) return false;
    pending.settle(response);
    return true;
  }

  #one(request: InputRequest, options: { credentialId: string; send: (request: JsonRpcRequest) => void; signal: AbortSignal; timeoutMs: number }): Promise<unknown> {
    const id = `gh-${randomUUID()}`;
    return new Promise((resolve, reject) => {
      const done = () => {
        this.#pending.delete(id);
        clearTimeout(timer);
        options.signal.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        done();
        reject(new GatehouseError('timeout', { message: 'The request was cancelled while waiting for the client.', details: { method: request.method } }));
      };
      const timer = setTimeout(() => {
        done();
        reject(new GatehouseError('timeout', { message: `The client did not answer ${request.method} in time.`, details: { timeout_ms: options.timeoutMs } }));
      }, options.timeoutMs);
      options.signal.addEventListener('abort', onAbort, { once: true });
      this.#pending.set(id, {
        credentialId: options.credentialId,
        settle: (response) => {
          done();
          if ('result' in response) resolve(response.result);
          else reject(new GatehouseError('invalid_request', { message: `The client answered ${request.method} with an error: ${response.error.message}` }));
        },
      });
      options.send({ jsonrpc: '2.0', id, method: request.method, params: (request.params ?? {}) as Record<string, unknown> });
    });
  }
}
