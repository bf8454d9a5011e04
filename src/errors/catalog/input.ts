import type { ErrorDefinition } from '../definition.js';

/** Tool input, resource state and data errors, plus the server's own failures. */
export const inputErrors = {
  invalid_input: {
    family: 'input',
    layers: ['tool'],
    http: 400,
    jsonrpc: null,
    retryable: false,
    message: 'Invalid input.',
    doc: {
      meaning: 'A tool argument is missing or has an invalid value; `field` names it and the message says what is expected.',
      cause: 'A wrong type, a value outside an enum, a malformed email or date, or a missing required argument.',
      fix: "Correct the named field and call again. The tool's input schema in `tools/list` lists required fields and accepted values.",
    },
    example: { field: 'email', issues: [{ field: 'email', message: 'A valid email address is required' }] },
  },
  invalid_state: {
    family: 'input',
    layers: ['tool'],
    http: 409,
    jsonrpc: null,
    retryable: false,
    message: 'The operation is not allowed in the current state.',
    doc: {
      meaning: 'The record exists but its state does not allow the operation; the message says which state is needed.',
      cause: 'Editing a sent campaign, scheduling one that is already scheduled, or a similar state-machine rule.',
      fix: 'Read the record first (its `status`) and only call write tools the state allows.',
    },
    example: { resource: 'campaign', status: 'sent', allowed_status: ['draft'] },
  },
  data_unavailable: {
    family: 'input',
    layers: ['tool'],
    http: 404,
    jsonrpc: null,
    retryable: false,
    message: 'No data exists for this window or entity.',
    doc: {
      meaning: 'The query is valid but there is no data for it. Successful data results carry `meta.data_as_of` to show how fresh they are.',
      cause: 'A date range before the data starts or after it ends, or an entity with no activity yet.',
      fix: 'Widen the date range or check that the entity has activity; see `available_from`/`available_to` when present.',
    },
    example: { available_from: '2026-01-01', available_to: '2026-11-21' },
  },
  timeout: {
    family: 'server',
    layers: ['tool', 'http'],
    http: 504,
    jsonrpc: null,
    retryable: true,
    message: 'The operation did not finish in time and was stopped.',
    doc: {
      meaning: 'The tool ran past its time limit (`limits.toolTimeoutMs`, 30 s by default) and was aborted.',
      cause: 'A slow upstream or a very large request.',
      fix: 'Retry, with a smaller request if possible. Write tools with an idempotency key are safe to retry.',
    },
    example: { timeout_ms: 30000 },
  },
  internal_error: {
    family: 'server',
    layers: ['tool', 'jsonrpc', 'http'],
    http: 500,
    jsonrpc: -32603,
    retryable: true,
    message: 'Internal error.',
    doc: {
      meaning: 'The server failed unexpectedly. Details went to the server log under `request_id`; nothing internal is sent to the client.',
      cause: 'A bug, or a dependency (database, cache) that is down. A 503 at the transport means a dependency is unavailable.',
      fix: 'Retry once. If it persists, contact support with the `request_id`.',
    },
    example: { support_hint: 'Contact support with request_id 0193…' },
  },
} as const satisfies Record<string, ErrorDefinition>;
