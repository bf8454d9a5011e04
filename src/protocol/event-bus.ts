/** Changes the server announces to listening clients. */
export type ServerEvent =
  | { readonly type: 'tools_list_changed' }
  | { readonly type: 'prompts_list_changed' }
  | { readonly type: 'resources_list_changed' }
  | { readonly type: 'resource_updated'; readonly uri: string };

export type ServerEventListener = (event: ServerEvent) => void;

/**
 * Fan-out of server events to open notification streams. The in-process bus
 * serves one instance; a shared implementation fans out across instances.
 */
export interface EventBus {
  publish(event: ServerEvent): void;
  /** Returns the unsubscribe function. */
  subscribe(listener: ServerEventListener): () => void;
}

export class LocalEventBus implements EventBus {
  readonly #listeners = new Set<ServerEventListener>();

  publish(event: ServerEvent): void {
    for (const listener of this.#listeners) listener(event);
  }

  subscribe(listener: ServerEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

/** The JSON-RPC notification announcing an event. */
export function eventNotification(event: ServerEvent): { method: string; params: Record<string, unknown> } {
  switch (event.type) {
    case 'tools_list_changed':
      return { method: 'notifications/tools/list_changed', params: {} };
    case 'prompts_list_changed':
      return { method: 'notifications/prompts/list_changed', params: {} };
    case 'resources_list_changed':
      return { method: 'notifications/resources/list_changed', params: {} };
    case 'resource_updated':
      return { method: 'notifications/resources/updated', params: { uri: event.uri } };
  }
}
