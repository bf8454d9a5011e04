import { errorDefinition } from '../errors/catalog.js';
import { toErrorBody } from '../errors/error-body.js';
import type { GatehouseError } from '../errors/gatehouse-error.js';
import type { Era } from '../protocol/exchange.js';
import type { RequestId } from '../protocol/jsonrpc.js';

/**
 * Layer-2 encoder: a catalogue error as a JSON-RPC error whose `data` is the
 * one public error object. Only catalogue codes with a JSON-RPC code reach
 * here; anything else is encoded as `-32603`.
 */
export function jsonRpcError(id: RequestId | null, err: GatehouseError, requestId: string): string {
  const code = errorDefinition(err.code).jsonrpc ?? -32603;
  return JSON.stringify({ jsonrpc: '2.0', id, error: { code, message: err.message, data: toErrorBody(err, requestId) } });
}

/**
 * The HTTP status of a JSON-RPC error. Refusals before dispatch use the
 * transport's statuses (2026-07-28: 400 for unusable messages, 404 for unknown
 * methods); errors a handler produced travel in-band with 200, except
 * `-32021`, which the 2026-07-28 transport answers with 400.
 */
export function jsonRpcStatus(err: GatehouseError, origin: 'dispatch' | 'handler' | 'validation', era: Era | undefined): number {
  if (origin === 'validation') return 400;
  if (err.code === 'missing_client_capability' && era === 'modern') return 400;
  if (origin === 'dispatch' && era === 'modern') return errorDefinition(err.code).http;
  return 200;
}
