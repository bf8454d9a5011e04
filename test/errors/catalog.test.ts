import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorCatalog, errorCodes } from '../../src/errors/catalog.js';
import { toErrorBody } from '../../src/errors/error-body.js';
import { GatehouseError } from '../../src/errors/gatehouse-error.js';
import { renderErrorReference } from '../../src/errors/reference.js';

/** Every error code behaviors.md names (sections 1–6). */
const CODES_IN_BEHAVIORS = [
  'invalid_client_metadata', 'too_many_registrations', 'invalid_grant', 'invalid_token', 'token_expired',
  'insufficient_scope', 'forbidden', 'org_mismatch', 'reauth_required', 'workspace_required', 'profile_required',
  'not_found', 'plan_required', 'plan_downgraded', 'subscription_required', 'confirmation_required', 'rate_limited',
  'idempotency_conflict', 'circuit_open', 'writeback_disabled', 'connector_required', 'connector_expired',
  'addon_disconnected', 'data_unavailable', 'internal_error',
];

describe('error catalogue', () => {
  it('B-ERR-05: docs/errors.md is exactly what the catalogue generates (regenerate with `npx gatehouse errors --markdown > docs/errors.md`)', () => {
    expect(readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8')).toBe(renderErrorReference());
  });

  it('B-ERR-05: every code named in the behaviour catalogue has exactly one entry', () => {
    for (const code of CODES_IN_BEHAVIORS) expect(errorCodes, code).toContain(code);
    expect(new Set(errorCodes).size).toBe(errorCodes.length);
  });

  it('B-ERR-05: every entry is documented (meaning, cause, fix), has a snake_case code, an HTTP status and a message', () => {
    for (const code of errorCodes) {
      const def = errorCatalog[code];
      expect(code).toMatch(/^[a-z]+(_[a-z]+)*$/);
      expect(def.http).toBeGreaterThanOrEqual(400);
      for (const text of [def.message, def.doc.meaning, def.doc.cause, def.doc.fix]) expect(text.trim().length, code).toBeGreaterThan(5);
      expect(renderErrorReference()).toContain(`### \`${code}\``);
    }
  });

  it('B-ERR-03: the JSON-RPC codes of protocol errors are the standard ones', () => {
    expect(errorCatalog.parse_error.jsonrpc).toBe(-32700);
    expect(errorCatalog.invalid_request.jsonrpc).toBe(-32600);
    expect(errorCatalog.method_not_found.jsonrpc).toBe(-32601);
    expect(errorCatalog.invalid_params.jsonrpc).toBe(-32602);
    expect(errorCatalog.internal_error.jsonrpc).toBe(-32603);
  });

  it('B-ERR-01: the body carries code, message, retryable, request_id and code-specific fields', () => {
    const body = toErrorBody(new GatehouseError('rate_limited', { message: 'Per-minute rate limit exceeded. Wait 12 seconds.', details: { retry_after: 12 } }), 'req-1');
    expect(body).toEqual({
      error: 'rate_limited',
      code: 'rate_limited',
      message: 'Per-minute rate limit exceeded. Wait 12 seconds.',
      retryable: true,
      retry_after: 12,
      request_id: 'req-1',
    });
  });

  it('B-ERR-06: internal_error is retryable and carries a support hint quoting the request id', () => {
    const body = toErrorBody(new GatehouseError('internal_error', { cause: new Error('secret internals') }), 'req-9');
    expect(body.retryable).toBe(true);
    expect(body.support_hint).toContain('req-9');
    expect(JSON.stringify(body)).not.toContain('secret internals');
  });

  it('B-AUTH-07: OAuth-facing errors keep the standard `error` value and an error_description', () => {
    const body = toErrorBody(new GatehouseError('token_expired'), 'r');
    expect(body.error).toBe('invalid_token');
    expect(body.code).toBe('token_expired');
    expect(body.error_description).toBe(body.message);
  });
});
