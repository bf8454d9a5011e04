import type { Principal } from '../auth/principal.js';
import type { Logger } from '../log/logger.js';
import type { InputRequest } from '../tools/input-required.js';
import type { ClientDescription, LogLevel, OrganizationRef } from '../tools/tool-context.js';
import type { JsonRpcNotification, RequestId } from './jsonrpc.js';
import type { LegacySession } from './legacy-session.js';

/** `modern` = 2026-07-28 (per-request envelope); `legacy` = the initialize handshake (2025-11-25, 2025-06-18). */
export type Era = 'modern' | 'legacy';

/**
 * One request as the protocol core sees it: who asks, in which revision, and
 * the channels back to the client. The transport builds it; the core never
 * touches HTTP.
 */
export interface Exchange {
  readonly era: Era;
  readonly protocolVersion: string;
  /** The JSON-RPC id of the request being served. */
  readonly rpcId: RequestId;
  /** Gatehouse's own request id: response header, error bodies and logs. */
  readonly requestId: string;
  readonly principal: Principal;
  readonly organization: OrganizationRef | null;
  readonly logger: Logger;
  readonly signal: AbortSignal;
  readonly client: ClientDescription;
  /** Lowest level of `notifications/message` the client wants; `undefined` sends none. */
  readonly logLevel: LogLevel | undefined;
  /** Set when the client asked for `notifications/progress`. */
  readonly progressToken: string | number | undefined;
  /** The `Idempotency-Key` request header, for idempotent tools (B-POL-03). */
  readonly idempotencyKey?: string | undefined;
  /** The 2025-11-25 session, when the client holds one. */
  readonly session: LegacySession | undefined;
  /** Sends a notification related to this request (the transport may switch to SSE). */
  emit(notification: JsonRpcNotification): void;
  /**
   * Present only for legacy sessions whose response can stream: sends real
   * server-to-client requests and resolves with the answers by key.
   */
  readonly askClient: ((requests: Readonly<Record<string, InputRequest>>) => Promise<Record<string, unknown>>) | undefined;
}
