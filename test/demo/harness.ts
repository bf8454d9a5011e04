/**
 * How demo tests reach Mailroom: tools through the real /mcp endpoint with a
 * bearer token per organization; resources and prompts directly with a
 * request context (`contextFor`).
 */
import { SignJWT } from 'jose';
import type { ErrorBody } from '../../src/errors/error-body.js';
import { GatehouseError } from '../../src/errors/gatehouse-error.js';
import type { Gatehouse } from '../../src/index.js';
import type { Logger } from '../../src/log/logger.js';
import type { RequestContext } from '../../src/tools/tool-context.js';
import { send } from '../helpers/harness.js';

const silent: Logger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  fatal: () => undefined,
  child: () => silent,
  isLevelEnabled: () => false,
};

export function contextFor(orgId: string | null): RequestContext {
  return {
    requestId: 'req_test',
    principal: { kind: 'user', credentialId: 'cred_test', userId: 'usr_test', email: 'owner@example.com', organizationId: orgId, role: 'owner', scopes: new Set(['mcp:read', 'mcp:write', 'mcp:admin']) },
    organization: orgId === null ? null : { id: orgId },
    logger: silent,
    signal: new AbortController().signal,
    client: { protocolVersion: '2025-11-25', capabilities: {} },
    inputResponses: {},
    requestState: undefined,
    progress: () => undefined,
    log: () => undefined,
    dataAsOf: () => undefined,
  };
}

// Results are checked against the tool's output schema by the server; `any` keeps test assertions short.
export type ToolOutput = any;

const SECRET = 'demo-tests-secret-that-is-at-least-32-bytes';
export const DEMO_AUTH = { kind: 'jwt', secret: SECRET, issuer: 'https://demo-tests.example' } as const;
const tokens = new Map<string | null, Promise<string>>();

/** A 5-minute access token for a member of `orgId` (no organization when null). */
export function tokenFor(orgId: string | null): Promise<string> {
  let token = tokens.get(orgId);
  if (token === undefined) {
    token = new SignJWT({ scope: 'mcp:read mcp:write mcp:admin mcp:read_pii', role: 'owner', ...(orgId === null ? {} : { org_id: orgId }) })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('usr_test')
      .setIssuer(DEMO_AUTH.issuer)
      .setAudience('http://localhost:8787/mcp')
      .setJti(`demo-${orgId ?? 'none'}`)
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(SECRET));
    tokens.set(orgId, token);
  }
  return token;
}

/** Rebuilds the catalogue error from its wire body; `details` are the code-specific fields only. */
function asError(body: ErrorBody): GatehouseError {
  const { error: _e, code, message, retryable: _r, request_id: _id, ...details } = body;
  return new GatehouseError(code, { message, details: details as never });
}

/**
 * Calls a Mailroom tool the way a client does: a JSON-RPC tools/call on
 * /mcp with a bearer token for the organization. Tool errors come back as
 * the GatehouseError they were, so tests assert on codes and details.
 */
export async function callTool(gatehouse: Gatehouse, name: string, args: unknown, orgId: string | null): Promise<ToolOutput> {
  const reply = await send(gatehouse, {
    headers: { authorization: `Bearer ${await tokenFor(orgId)}` },
    body: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } },
  });
  if (reply.json?.error !== undefined) throw asError(reply.json.error.data as ErrorBody);
  const result = reply.json.result;
  if (result.isError === true) throw asError(result.structuredContent as ErrorBody);
  return result.structuredContent ?? JSON.parse(result.content[0].text as string);
}
