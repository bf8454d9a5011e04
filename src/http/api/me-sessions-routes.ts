import { randomUUID } from 'node:crypto';
import { Hono, type Context } from 'hono';
import type { AuthorizationServer } from '../../auth/oauth/authorization-server.js';
import type { Authenticator } from '../../auth/authenticator.js';
import type { Principal } from '../../auth/principal.js';
import { GatehouseError } from '../../errors/gatehouse-error.js';
import { encodeHttpError } from '../encode-http-error.js';
import { toWebResponse } from '../web-adapter.js';

/**
 * The caller's MCP sessions (B-AUTH-09): each is one sign-in from a client,
 * i.e. one refresh-token family. Listing them, ending one, or ending all of
 * them across clients and organizations — the last only with confirm=true.
 * Each session ended is audited as `session_revoked` (B-OPS-02).
 */
export function meSessionsRoutes(as: AuthorizationServer, authenticator: Authenticator, grantTtlMs: number): Hono {
  const app = new Hono();

  async function caller(c: Context): Promise<Principal | Response> {
    const requestId = randomUUID();
    const pending = authenticator.authenticate(c.req.header('authorization') ?? null);
    const result = pending instanceof Promise ? await pending : pending;
    if (result instanceof GatehouseError) return toWebResponse(encodeHttpError(result, requestId, { 'www-authenticate': authenticator.challenge(result) }));
    return result;
  }

  const fail = (err: GatehouseError) => toWebResponse(encodeHttpError(err, randomUUID()));

  app.get('/api/v1/me/mcp-sessions', async (c) => {
    const who = await caller(c);
    if (who instanceof Response) return who;
    const since = Date.now() - grantTtlMs;
    const sessions = (await as.grants.listActive(who.userId))
      .filter((g) => g.created_at > since)
      .map((g) => ({
        id: g.grant_id,
        client_id: g.client_id,
        client_name: g.client_name,
        organization_id: g.organization_id,
        scope: g.scope,
        created_at: new Date(g.created_at).toISOString(),
        last_used_at: new Date(g.last_used_at).toISOString(),
        current: who.credentialId === `grant:${g.grant_id}`,
      }));
    return c.json({ sessions }, 200, { 'cache-control': 'no-store' });
  });

  app.delete('/api/v1/me/mcp-sessions', async (c) => {
    const who = await caller(c);
    if (who instanceof Response) return who;
    if (c.req.query('confirm') !== 'true') {
      const count = (await as.grants.listActive(who.userId)).length;
      return fail(
        new GatehouseError('confirmation_required', {
          message: 'Revoking every MCP session signs out all your clients in every organization. Repeat with ?confirm=true.',
          details: { summary: `Revoke ${count} MCP session${count === 1 ? '' : 's'} across all clients and organizations.` },
        }),
      );
    }
    // The request id ties the audit entries (one `session_revoked` per session) to this request.
    const requestId = randomUUID();
    const revoked = await as.revokeAllForUser(who.userId, { requestId });
    return c.json({ revoked }, 200, { 'cache-control': 'no-store', 'x-request-id': requestId });
  });

  app.delete('/api/v1/me/mcp-sessions/:id', async (c) => {
    const who = await caller(c);
    if (who instanceof Response) return who;
    const grant = await as.grants.get(c.req.param('id'));
    // Another user's session reads as absent, never as forbidden.
    if (grant === undefined || grant.user_id !== who.userId || grant.revoked_at !== null) {
      return fail(new GatehouseError('not_found', { message: 'No such MCP session', details: { resource: 'mcp_session', id: c.req.param('id') } }));
    }
    const requestId = randomUUID();
    await as.revokeGrant(grant.grant_id, { requestId });
    return c.json({ revoked: 1 }, 200, { 'cache-control': 'no-store', 'x-request-id': requestId });
  });

  return app;
}
