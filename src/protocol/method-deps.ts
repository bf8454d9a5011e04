import type { Registry } from './registry.js';
import type { RequestStateCodec } from './request-state-codec.js';
import type { SessionStore } from './legacy-session.js';
import type { ToolGate } from './tool-gate.js';
import type { ToolInvoker } from './tool-invoker.js';
import type { CacheHint } from '../tools/define-resource.js';

/** Who the server says it is (`serverInfo`, `instructions`). */
export interface ServerIdentity {
  readonly name: string;
  readonly version: string;
  readonly title?: string;
  /** Guidance for the model, sent at initialize and `server/discover`. */
  readonly instructions?: string;
}

/** Per-session resource subscriptions of 2025-11-25 clients (delivered on their GET stream). */
export interface LegacySubscriptions {
  add(sessionId: string, uri: string): void;
  remove(sessionId: string, uri: string): void;
}

/** What the method handlers share; built once at start-up. */
export interface MethodDeps {
  readonly registry: Registry;
  readonly invoker: ToolInvoker;
  readonly server: ServerIdentity;
  readonly requestState: RequestStateCodec;
  readonly sessions: SessionStore;
  readonly subscriptions: LegacySubscriptions;
  /** Cache hint for list results (2026-07-28 `ttlMs`/`cacheScope`). */
  readonly listCache: CacheHint;
  /** Who sees which tool; without one every caller sees every tool. */
  readonly toolGate?: ToolGate;
}
