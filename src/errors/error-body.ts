import { errorDefinition, type ErrorCode } from './catalog.js';
import { GatehouseError } from './gatehouse-error.js';

/**
 * The one public error shape (B-ERR-01). The same object is the HTTP body at the
 * transport, `error.data` of a JSON-RPC error, and `structuredContent` of an
 * `isError` tool result.
 */
export interface ErrorBody {
  /** The code, or the value OAuth clients expect (`invalid_token`, `Unauthorized`). */
  readonly error: string;
  readonly code: ErrorCode;
  readonly message: string;
  readonly retryable: boolean;
  readonly request_id: string;
  readonly [field: string]: unknown;
}

const OAUTH_FAMILIES = new Set(['authentication', 'authorization-server']);

/** Builds the public body of an error. Only catalogue data and declared details reach it. */
export function toErrorBody(err: GatehouseError, requestId: string): ErrorBody {
  const def = errorDefinition(err.code);
  const body: Record<string, unknown> = {
    error: def.wireError ?? err.code,
    code: err.code,
    message: err.message,
  };
  // OAuth clients read error_description; keep it beside message for them.
  if (OAUTH_FAMILIES.has(def.family)) body.error_description = err.message;
  body.retryable = def.retryable;
  for (const [key, value] of Object.entries(err.details)) {
    if (value !== undefined && !(key in body)) body[key] = value;
  }
  body.request_id = requestId;
  if (err.code === 'internal_error' && body.support_hint === undefined) {
    body.support_hint = `If this persists, contact support with request_id ${requestId}.`;
  }
  return body as ErrorBody;
}

/**
 * Turns anything thrown into a catalogue error. Unknown exceptions become
 * `internal_error`; the original stays as `cause` for the log, never the wire.
 */
export function normalizeError(thrown: unknown): GatehouseError {
  if (thrown instanceof GatehouseError) return thrown as GatehouseError;
  return new GatehouseError('internal_error', { cause: thrown });
}
