import type { HostPolicy } from './edge-guards.js';
import type { Reply } from './http-message.js';

const NONE: Readonly<Record<string, string>> = Object.freeze({});

const ALLOW_HEADERS = 'authorization, content-type, accept, mcp-protocol-version, mcp-session-id, mcp-method, mcp-name, last-event-id, idempotency-key, *';
const EXPOSE_HEADERS = 'mcp-session-id, www-authenticate, retry-after, x-request-id';

/** CORS headers for an allowed browser origin; none for others (the edge guard refuses them). */
export function corsHeaders(origin: string | null | undefined, policy: HostPolicy): Readonly<Record<string, string>> {
  if (origin === null || origin === undefined || !policy.origins.has(origin)) return NONE;
  return { 'access-control-allow-origin': origin, 'access-control-expose-headers': EXPOSE_HEADERS, vary: 'Origin' };
}

export function preflight(origin: string | null | undefined, policy: HostPolicy, methods: string): Reply {
  const cors = corsHeaders(origin, policy);
  // Not a CORS preflight (no allowed Origin; foreign ones were refused at the edge): just say what is allowed.
  if (cors === NONE) return { status: 204, headers: { allow: methods }, body: null };
  return {
    status: 204,
    headers: { ...cors, 'access-control-allow-methods': methods, 'access-control-allow-headers': ALLOW_HEADERS, 'access-control-max-age': '600' },
    body: null,
  };
}
