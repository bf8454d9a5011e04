import { GatehouseError } from '../errors/gatehouse-error.js';
import type { JsonRpcMessage, RequestId } from './jsonrpc.js';

export type ParsedMessage =
  | { readonly ok: true; readonly message: JsonRpcMessage }
  | { readonly ok: false; readonly id: RequestId | null; readonly error: GatehouseError };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isId(v: unknown): v is RequestId {
  return typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
}

function invalid(id: RequestId | null, message: string, field: string): ParsedMessage {
  return { ok: false, id, error: new GatehouseError('invalid_request', { message, details: { field } }) };
}

/**
 * Validates one decoded JSON value as a JSON-RPC 2.0 message (B-ERR-03).
 * The id is echoed whenever it is readable, `null` otherwise.
 */
export function parseMessage(value: unknown): ParsedMessage {
  if (Array.isArray(value)) {
    return invalid(null, 'Invalid Request: JSON-RPC batches are not supported; send one message per request', 'body');
  }
  if (!isRecord(value)) return invalid(null, 'Invalid Request: the body must be a JSON-RPC object', 'body');
  const id = isId(value.id) ? value.id : null;
  if (value.jsonrpc !== '2.0') return invalid(id, 'Invalid Request: missing or invalid jsonrpc version', 'jsonrpc');
  if ('id' in value && !isId(value.id)) {
    return invalid(null, 'Invalid Request: id must be a string or a number', 'id');
  }
  if (!('method' in value)) {
    if (id !== null && ('result' in value || 'error' in value)) return { ok: true, message: value as unknown as JsonRpcMessage };
    return invalid(id, 'Invalid Request: method is required', 'method');
  }
  if (typeof value.method !== 'string' || value.method.length === 0) {
    return invalid(id, 'Invalid Request: method must be a non-empty string', 'method');
  }
  if ('params' in value && value.params !== undefined && !isRecord(value.params)) {
    return {
      ok: false,
      id,
      error: new GatehouseError('invalid_params', { message: 'Invalid params: params must be an object', details: { field: 'params' } }),
    };
  }
  return { ok: true, message: value as unknown as JsonRpcMessage };
}
