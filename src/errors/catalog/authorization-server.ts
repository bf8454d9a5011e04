import type { ErrorDefinition } from '../definition.js';

/** The built-in OAuth 2.1 authorization server: registration, authorize and token endpoints. */
export const authorizationServerErrors = {
  invalid_client_metadata: {
    family: 'authorization-server',
    layers: ['oauth'],
    http: 400,
    jsonrpc: null,
    retryable: false,
    message: 'The client registration metadata is invalid.',
    doc: {
      meaning: 'Dynamic Client Registration (RFC 7591) or a Client ID Metadata Document was refused; `error_description` names the field.',
      cause: 'A `scope` outside the supported set, `redirect_uris` missing or malformed, or an unsupported grant type or auth method.',
      fix: 'Send only the supported metadata fields: `client_name`, `redirect_uris` (https, or http on loopback), `grant_types`, `response_types`, `token_endpoint_auth_method`, and a `scope` from the metadata document.',
    },
    example: { error_description: 'redirect_uris is required' },
  },
  too_many_registrations: {
    family: 'authorization-server',
    layers: ['oauth'],
    http: 429,
    jsonrpc: null,
    retryable: true,
    message: 'Too many client registrations from this address.',
    doc: {
      meaning: 'Client registrations are limited per IP address (10 an hour by default).',
      cause: 'A client that registers again on every connection instead of persisting its `client_id`.',
      fix: 'Persist and reuse the `client_id` after the first registration; otherwise wait `retry_after` seconds.',
    },
    example: { retry_after: 1800 },
  },
  invalid_grant: {
    family: 'authorization-server',
    layers: ['oauth'],
    http: 400,
    jsonrpc: null,
    retryable: false,
    message: 'The authorization code or refresh token is invalid.',
    doc: {
      meaning: 'The token endpoint refused the code or refresh token. Codes are single-use, short-lived and bound to the PKCE verifier, client and redirect URI; reusing a code revokes the tokens it issued.',
      cause: 'A code exchanged twice or after it expired, a PKCE verifier that does not match the challenge, a redirect URI that differs, or a refresh token that was revoked or already rotated.',
      fix: 'Restart the authorization flow from the client.',
    },
    example: { error_description: 'grant request is invalid' },
  },
  access_denied: {
    family: 'authorization-server',
    layers: ['oauth'],
    http: 403,
    jsonrpc: null,
    retryable: false,
    message: 'The user denied the authorization request.',
    doc: {
      meaning: 'The user chose Deny on the consent page, or cancelled sign-in.',
      cause: 'A deliberate refusal, or a sign-in abandoned part-way.',
      fix: 'Start the connection again from the client and choose Approve.',
    },
    example: {},
  },
  no_pending_authorization: {
    family: 'authorization-server',
    layers: ['oauth'],
    http: 400,
    jsonrpc: null,
    retryable: false,
    message: 'No pending authorization.',
    doc: {
      meaning: 'The consent page was submitted but the authorization request it belonged to is gone.',
      cause: 'The page sat open past the interaction lifetime, the browser lost its session cookie, or the request was already completed in another tab.',
      fix: 'Start the authorization flow again from your MCP client.',
    },
    example: {},
  },
} as const satisfies Record<string, ErrorDefinition>;
