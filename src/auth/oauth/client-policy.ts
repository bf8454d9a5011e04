import { createHash } from 'node:crypto';

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);
const GRANT_TYPES = new Set(['authorization_code', 'refresh_token']);
const AUTH_METHODS = new Set(['none', 'client_secret_basic', 'client_secret_post']);

/** A registration refused: `field` is named first in the description, as clients show it. */
export class ClientMetadataError extends Error {
  override readonly name = 'ClientMetadataError';
  constructor(
    readonly field: string,
    problem: string,
  ) {
    super(`${field}: ${problem}`);
  }
}

/**
 * Where a client may be sent back to: https anywhere, http only on
 * loopback (native apps, RFC 8252 §7.3), or a private-use scheme in
 * reverse-domain form (`com.example.app:/cb`, RFC 8252 §7.1). No fragments.
 */
export function checkRedirectUri(value: unknown): void {
  if (typeof value !== 'string' || value === '') throw new ClientMetadataError('redirect_uris', 'each entry must be a non-empty string');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ClientMetadataError('redirect_uris', `${JSON.stringify(value)} is not an absolute URL`);
  }
  if (url.hash !== '') throw new ClientMetadataError('redirect_uris', `${JSON.stringify(value)} must not contain a fragment`);
  if (url.username !== '' || url.password !== '') throw new ClientMetadataError('redirect_uris', `${JSON.stringify(value)} must not contain credentials`);
  if (url.protocol === 'https:') return;
  if (url.protocol === 'http:') {
    if (LOOPBACK.has(url.hostname)) return;
    throw new ClientMetadataError('redirect_uris', `${JSON.stringify(value)} must use https (http only on localhost, 127.0.0.1 or [::1])`);
  }
  const scheme = url.protocol.slice(0, -1);
  if (!scheme.includes('.') || ['javascript', 'data', 'file', 'vbscript'].includes(scheme)) {
    throw new ClientMetadataError('redirect_uris', `${JSON.stringify(value)} uses a scheme that is neither https, loopback http, nor a reverse-domain private scheme`);
  }
}

/**
 * Checks and normalises a registration body (RFC 7591) before the
 * authorization server sees it. Public clients are the default
 * (`token_endpoint_auth_method: none`, PKCE), scopes must be ones we serve.
 */
export function normalizeClientMetadata(body: Record<string, unknown>, supportedScopes: ReadonlySet<string>): void {
  const uris = body.redirect_uris;
  if (!Array.isArray(uris) || uris.length === 0) throw new ClientMetadataError('redirect_uris', 'is required and must be a non-empty array of URLs');
  uris.forEach(checkRedirectUri);
  if (body.scope !== undefined) {
    if (typeof body.scope !== 'string') throw new ClientMetadataError('scope', 'must be a space-separated string');
    const unknown = body.scope.split(' ').filter((s) => s !== '' && !supportedScopes.has(s));
    if (unknown.length > 0) throw new ClientMetadataError('scope', `unsupported value(s) ${unknown.join(', ')}; supported: ${[...supportedScopes].join(' ')}`);
  }
  if (body.grant_types !== undefined) {
    if (!Array.isArray(body.grant_types) || !body.grant_types.every((g) => typeof g === 'string' && GRANT_TYPES.has(g))) {
      throw new ClientMetadataError('grant_types', 'may only contain authorization_code and refresh_token');
    }
  }
  if (body.response_types !== undefined && !(Array.isArray(body.response_types) && body.response_types.every((r) => r === 'code'))) {
    throw new ClientMetadataError('response_types', 'may only contain code');
  }
  const method = body.token_endpoint_auth_method ?? 'none';
  if (typeof method !== 'string' || !AUTH_METHODS.has(method)) {
    throw new ClientMetadataError('token_endpoint_auth_method', `must be one of ${[...AUTH_METHODS].join(', ')}`);
  }
  body.token_endpoint_auth_method = method;
  if (body.client_name !== undefined && (typeof body.client_name !== 'string' || body.client_name.length > 200)) {
    throw new ClientMetadataError('client_name', 'must be a string of at most 200 characters');
  }
}

/** A stable digest of registration metadata: identical registrations map to the same client. */
export function metadataDigest(body: Record<string, unknown>): string {
  return createHash('sha256').update(canonicalJson(body)).digest('base64url');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}
