import { errorDefinition } from '../errors/catalog.js';
import { toErrorBody } from '../errors/error-body.js';
import type { GatehouseError } from '../errors/gatehouse-error.js';
import type { Reply } from './http-message.js';

/**
 * Layer-1 encoder: a catalogue error as an HTTP response, before any JSON-RPC
 * processing (B-ERR-02). The status comes from the catalogue; `Retry-After`
 * mirrors `retry_after` so HTTP clients and agents read the same number.
 */
export function encodeHttpError(err: GatehouseError, requestId: string, headers: Readonly<Record<string, string>> = {}): Reply {
  const body = toErrorBody(err, requestId);
  const out: Record<string, string> = { 'content-type': 'application/json', 'x-request-id': requestId, ...headers };
  if (typeof body.retry_after === 'number') out['retry-after'] = String(Math.max(1, Math.ceil(body.retry_after)));
  return { status: errorDefinition(err.code).http, headers: out, body: JSON.stringify(body) };
}
