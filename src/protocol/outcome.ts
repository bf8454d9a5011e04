import type { GatehouseError } from '../errors/gatehouse-error.js';
import type { LegacySession } from './legacy-session.js';

/** Filter of `subscriptions/listen`: which notifications the client wants. */
export interface SubscriptionFilter {
  readonly toolsListChanged?: boolean;
  readonly promptsListChanged?: boolean;
  readonly resourcesListChanged?: boolean;
  readonly resourceSubscriptions?: readonly string[];
}

/**
 * What dispatching one request produced. `error.origin` tells the transport
 * which HTTP status rules apply: `dispatch` errors are refusals before any
 * handler ran; `handler` errors are answered in-band.
 */
export type Outcome =
  /** `session` is set by initialize: the transport returns its id in `Mcp-Session-Id`. */
  | { readonly kind: 'result'; readonly result: Readonly<Record<string, unknown>>; readonly session?: LegacySession }
  /** A result already serialised (pre-computed lists on the hot path). */
  | { readonly kind: 'json'; readonly json: string }
  | { readonly kind: 'error'; readonly error: GatehouseError; readonly origin: 'dispatch' | 'handler' }
  | { readonly kind: 'listen'; readonly filter: SubscriptionFilter };
