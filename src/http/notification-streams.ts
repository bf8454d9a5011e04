import { eventNotification, type EventBus, type ServerEvent } from '../protocol/event-bus.js';
import type { LegacySubscriptions, ServerIdentity } from '../protocol/method-deps.js';
import { modernResult } from '../protocol/modern-result.js';
import type { RequestId } from '../protocol/jsonrpc.js';
import type { SubscriptionFilter } from '../protocol/outcome.js';
import type { ServerCapabilities } from '../protocol/registry.js';
import { META } from '../protocol/versions.js';
import type { Reply } from './http-message.js';
import { SSE_HEADERS, SseStream } from './sse-stream.js';

/** Sessions whose resource subscriptions are remembered per instance. */
const MAX_SUBSCRIBED_SESSIONS = 10_000;

interface OpenStream {
  readonly stream: SseStream;
  readonly cleanup: () => void;
  /** Sends the closing result (2026-07-28 listen streams) before a graceful close. */
  readonly farewell?: () => void;
}

/**
 * Long-lived notification streams: 2026-07-28 `subscriptions/listen` and the
 * GET stream of 2025-11-25 sessions. Both are fed by the event bus; resource
 * subscriptions of sessions are kept here, per instance.
 */
export class NotificationStreams implements LegacySubscriptions {
  readonly #open = new Set<OpenStream>();
  readonly #sessionUris = new Map<string, Set<string>>();

  constructor(
    private readonly events: EventBus,
    private readonly capabilities: ServerCapabilities,
    private readonly server: ServerIdentity,
    private readonly options: { keepAliveMs: number; maxStreams: number },
  ) {}

  get full(): boolean {
    return this.#open.size >= this.options.maxStreams;
  }

  add(sessionId: string, uri: string): void {
    const uris = this.#sessionUris.get(sessionId) ?? new Set();
    uris.add(uri);
    this.#sessionUris.delete(sessionId);
    this.#sessionUris.set(sessionId, uris);
    // Sessions can expire without a DELETE: keep only the most recently active ones.
    if (this.#sessionUris.size > MAX_SUBSCRIBED_SESSIONS) this.#sessionUris.delete(this.#sessionUris.keys().next().value as string);
  }

  remove(sessionId: string, uri: string): void {
    this.#sessionUris.get(sessionId)?.delete(uri);
  }

  forgetSession(sessionId: string): void {
    this.#sessionUris.delete(sessionId);
  }

  /** Opens a `subscriptions/listen` stream: acknowledgement first, then only what the filter asked for. */
  listen(rpcId: RequestId, requested: SubscriptionFilter, headers: Readonly<Record<string, string>>): Reply {
    const honored = this.#honor(requested);
    const tag = { [META.subscriptionId]: rpcId };
    const farewell = () => stream.send({ jsonrpc: '2.0', id: rpcId, result: modernResult({ _meta: tag }, this.server) });
    const { stream, entry } = this.#openStream(farewell, (event) => {
      if (!matches(honored, event)) return;
      const n = eventNotification(event);
      stream.send({ jsonrpc: '2.0', method: n.method, params: { ...n.params, _meta: tag } });
    });
    stream.send({ jsonrpc: '2.0', method: 'notifications/subscriptions/acknowledged', params: { notifications: honored, _meta: tag } });
    if (Object.keys(honored).length === 0) this.#close(entry);
    return { status: 200, headers: { ...SSE_HEADERS, ...headers }, body: stream.body };
  }

  /** Opens the GET stream of a 2025-11-25 session. */
  sessionStream(sessionId: string, headers: Readonly<Record<string, string>>): Reply {
    const { stream } = this.#openStream(undefined, (event) => {
      if (event.type === 'resource_updated' && !this.#sessionUris.get(sessionId)?.has(event.uri)) return;
      const n = eventNotification(event);
      stream.send({ jsonrpc: '2.0', method: n.method, params: n.params });
    });
    return { status: 200, headers: { ...SSE_HEADERS, ...headers }, body: stream.body };
  }

  /** Graceful shutdown: listen streams get their closing result, then every stream ends. */
  closeAll(): void {
    for (const entry of [...this.#open]) this.#close(entry);
  }

  #openStream(farewell: (() => void) | undefined, onEvent: (event: ServerEvent) => void) {
    let unsubscribe = () => {};
    const stream = new SseStream({ keepAliveMs: this.options.keepAliveMs, onCancel: () => entry.cleanup() });
    const entry: OpenStream = {
      stream,
      cleanup: () => {
        unsubscribe();
        this.#open.delete(entry);
      },
      ...(farewell === undefined ? {} : { farewell }),
    };
    unsubscribe = this.events.subscribe(onEvent);
    this.#open.add(entry);
    return { stream, entry };
  }

  #close(entry: OpenStream): void {
    entry.farewell?.();
    entry.stream.close();
    entry.cleanup();
  }

  #honor(requested: SubscriptionFilter): SubscriptionFilter {
    const caps = this.capabilities;
    return {
      ...(requested.toolsListChanged === true && caps.tools?.listChanged === true ? { toolsListChanged: true } : {}),
      ...(requested.promptsListChanged === true && caps.prompts?.listChanged === true ? { promptsListChanged: true } : {}),
      ...(requested.resourcesListChanged === true && caps.resources?.listChanged === true ? { resourcesListChanged: true } : {}),
      ...((requested.resourceSubscriptions?.length ?? 0) > 0 && caps.resources?.subscribe === true
        ? { resourceSubscriptions: requested.resourceSubscriptions }
        : {}),
    };
  }
}

function matches(filter: SubscriptionFilter, event: ServerEvent): boolean {
  switch (event.type) {
    case 'tools_list_changed':
      return filter.toolsListChanged === true;
    case 'prompts_list_changed':
      return filter.promptsListChanged === true;
    case 'resources_list_changed':
      return filter.resourcesListChanged === true;
    case 'resource_updated':
      return filter.resourceSubscriptions?.includes(event.uri) === true;
  }
}
