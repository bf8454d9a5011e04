import type { RawData, WebSocket } from 'ws';
import type { Principal } from '../auth/principal.js';
import { GatehouseError } from '../errors/gatehouse-error.js';
import type { Logger } from '../log/logger.js';
import { addonDisconnected } from '../policy/addon-disconnected.js';
import type { AddonLink } from '../policy/stages/route-to-addon.js';
import type { ToolContext } from '../tools/tool-context.js';
import { addonFailure } from './addon-failure.js';
import type { AddonInfo } from './addon-hub-options.js';
import { ADDON_CLOSE, parseAddonMessage, type HelloMessage, type ServerMessage } from './addon-messages.js';

interface Pending {
  readonly tool: string;
  resolve(value: unknown): void;
  reject(error: GatehouseError): void;
}

/** What a connection tells the hub about. */
export interface ConnectionEvents {
  /** The add-on said who it is; the hub accepts it (`accept`) or closes it. */
  hello(connection: AddonConnection, hello: HelloMessage): void;
  /** The connection is over (either side closed it); called once. */
  closed(connection: AddonConnection): void;
}

// Close reasons are limited to 123 bytes by the WebSocket protocol.
function reasonText(reason: string): string {
  const bytes = Buffer.from(reason);
  return bytes.length <= 123 ? reason : `${bytes.subarray(0, 120).toString('utf8').replace(/\uFFFD+$/, '')}…`;
}

// The caller went away or the tool time limit fired: settle as a handler honouring the signal would.
function abortError(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new Error(String(reason));
}

/**
 * One add-on's WebSocket: its credential, the add-on it said it is, and the
 * calls it has in flight. A call settles exactly once: with the add-on's
 * answer, `timeout` (the add-on is told to `cancel`), the caller's abort, or
 * `addon_disconnected` when the socket goes away first.
 */
export class AddonConnection implements AddonLink {
  /** Set by `accept`: which declared add-on this is, and the tools it serves. */
  addon: AddonInfo | undefined;
  tools: ReadonlySet<string> = new Set();
  /** When the add-on's `hello` was accepted (newest connection wins), ms. */
  acceptedAt = 0;
  /** Answered since the last ping. */
  alive = true;
  /** A credential re-check is in flight. */
  checking = false;
  #state: 'hello' | 'ready' | 'closed' = 'hello';
  readonly #pending = new Map<string, Pending>();
  #seq = 0;
  readonly #helloTimer: ReturnType<typeof setTimeout>;

  constructor(
    readonly id: string,
    private readonly ws: WebSocket,
    /** Who the credential acts for; replaced on each successful re-authentication. */
    public principal: Principal,
    /** The upgrade's `Authorization` value, kept only to re-authenticate; never logged. */
    readonly authorization: string | null,
    private readonly o: { readonly helloTimeoutMs: number; readonly maxPendingCalls: number; readonly logger: Logger; readonly events: ConnectionEvents },
  ) {
    this.#helloTimer = setTimeout(() => this.close(ADDON_CLOSE.helloTimeout, `no hello within ${o.helloTimeoutMs} ms`), o.helloTimeoutMs);
    ws.on('message', (data, isBinary) => this.#onMessage(data, isBinary));
    ws.on('pong', () => (this.alive = true));
    ws.on('close', () => this.#shutdown());
    ws.on('error', (err) => o.logger.debug({ err, addon_connection: id }, 'add-on socket error'));
  }

  get ready(): boolean {
    return this.#state === 'ready';
  }

  /** Whether another call fits under `maxPendingCalls`. */
  get hasRoom(): boolean {
    return this.#pending.size < this.o.maxPendingCalls;
  }

  /** The hub accepted the `hello`: start serving. */
  accept(addon: AddonInfo, tools: readonly string[], heartbeatMs: number): void {
    if (this.#state !== 'hello') return;
    clearTimeout(this.#helloTimer);
    this.addon = addon;
    this.tools = new Set(tools);
    this.acceptedAt = performance.now();
    this.#state = 'ready';
    this.#send({ type: 'welcome', addon: addon.name, tools, heartbeat_ms: heartbeatMs, call_timeout_ms: addon.callTimeoutMs });
  }

  call(tool: string, input: unknown, ctx: ToolContext): Promise<unknown> {
    const addon = this.addon as AddonInfo;
    if (this.#state !== 'ready') return Promise.reject(addonDisconnected(addon, 'dropped', tool));
    const signal = ctx.signal;
    if (signal.aborted) return Promise.reject(abortError(signal));
    const id = `c${++this.#seq}`;
    return new Promise((resolve, reject) => {
      const settle = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        this.#pending.delete(id);
      };
      const onAbort = () => {
        settle();
        this.#send({ type: 'cancel', id, reason: 'aborted' });
        reject(abortError(signal));
      };
      const timer = setTimeout(() => {
        settle();
        this.#send({ type: 'cancel', id, reason: 'timeout' });
        reject(
          new GatehouseError('timeout', {
            message: `The ${addon.title} add-on did not answer ${tool} within ${addon.callTimeoutMs} ms; the call was cancelled there.`,
            details: { timeout_ms: addon.callTimeoutMs, addon: addon.name },
          }),
        );
      }, addon.callTimeoutMs);
      this.#pending.set(id, {
        tool,
        resolve: (value) => (settle(), resolve(value)),
        reject: (error) => (settle(), reject(error)),
      });
      signal.addEventListener('abort', onAbort, { once: true });
      const message: ServerMessage = { type: 'call', id, tool, arguments: input ?? {}, request_id: ctx.requestId, organization_id: ctx.organization?.id ?? null };
      this.#send(message, () => this.#pending.get(id)?.reject(addonDisconnected(addon, 'dropped', tool)));
    });
  }

  /** Pings; the `pong` (or any message) marks the connection alive again. */
  ping(): void {
    this.alive = false;
    if (this.ws.readyState === this.ws.OPEN) this.ws.ping();
  }

  /** Ends the connection with a close code and reason the add-on can act on; calls in flight answer `addon_disconnected`. */
  close(code: number, reason: string): void {
    this.#shutdown();
    if (this.ws.readyState === this.ws.CLOSED) return;
    this.ws.close(code, reasonText(reason));
    // An add-on that never completes the closing handshake does not keep the socket.
    setTimeout(() => this.ws.terminate(), 2_000).unref();
  }

  /** Drops the socket at once (no answer to pings). */
  terminate(): void {
    this.#shutdown();
    this.ws.terminate();
  }

  /** Resolves once the socket is fully closed. */
  closed(): Promise<void> {
    if (this.ws.readyState === this.ws.CLOSED) return Promise.resolve();
    return new Promise((resolve) => this.ws.once('close', () => resolve()));
  }

  #send(message: ServerMessage, onFailure?: () => void): void {
    if (this.ws.readyState !== this.ws.OPEN) {
      onFailure?.();
      return;
    }
    this.ws.send(JSON.stringify(message), (err) => {
      if (err !== undefined && err !== null) onFailure?.();
    });
  }

  #onMessage(data: RawData, isBinary: boolean): void {
    this.alive = true;
    if (this.#state === 'closed') return;
    if (isBinary) return this.close(ADDON_CLOSE.unsupportedData, 'binary messages are not supported: send JSON text');
    const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as Buffer).toString('utf8');
    const parsed = parseAddonMessage(text);
    if (!parsed.ok) return this.close(ADDON_CLOSE.malformed, `malformed message: ${parsed.reason}`);
    const message = parsed.message;
    if (this.#state === 'hello') {
      if (message.type !== 'hello') return this.close(ADDON_CLOSE.malformed, `malformed message: expected hello first, got ${message.type}`);
      return this.o.events.hello(this, message);
    }
    if (message.type === 'hello') return this.close(ADDON_CLOSE.malformed, 'malformed message: hello was already received');
    const pending = this.#pending.get(message.id);
    // A late answer to a call that timed out or was cancelled: nobody waits for it.
    if (pending === undefined) {
      this.o.logger.debug({ addon_connection: this.id, call: message.id }, 'add-on answered a call nobody waits for');
      return;
    }
    if (message.type === 'result') pending.resolve(message.result);
    else pending.reject(addonFailure(message, this.addon as AddonInfo, pending.tool));
  }

  #shutdown(): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    clearTimeout(this.#helloTimer);
    for (const pending of [...this.#pending.values()]) pending.reject(addonDisconnected(this.addon as AddonInfo, 'dropped', pending.tool));
    this.o.events.closed(this);
  }
}
