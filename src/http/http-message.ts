import type { GatehouseError } from '../errors/gatehouse-error.js';
import type { HeaderSource } from '../protocol/classify.js';

/**
 * The little the MCP endpoint needs from an HTTP request. Two adapters
 * implement it: web-standard `Request` (Hono, `gatehouse.fetch`, other
 * runtimes) and Node's `IncomingMessage` (the listener's hot path, which
 * skips building web objects it would only take apart again).
 */
export interface InboundRequest {
  readonly method: string;
  /** Header names are case-insensitive. */
  readonly headers: HeaderSource;
  /** The body as UTF-8, refused with `payload_too_large` past `limit` bytes. */
  readBody(limit: number): Promise<string | GatehouseError>;
  /** Aborted when the client goes away. Created on first read: it is costly and most requests never look. */
  readonly signal: AbortSignal;
}

/** What the endpoint answers; adapters turn it into a Response or write it to a socket. */
export interface Reply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** A string, a stream (server-sent events), or nothing. */
  readonly body: string | ReadableStream<Uint8Array> | null;
}

export function jsonReply(status: number, json: string, headers: Readonly<Record<string, string>>): Reply {
  return { status, headers: { 'content-type': 'application/json', ...headers }, body: json };
}
