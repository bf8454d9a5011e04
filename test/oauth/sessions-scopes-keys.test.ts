import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authorize, tokenRequest } from '../helpers/oauth-flow.js';
import { PASSWORD, startOAuthServer, type OAuthTestServer } from '../helpers/oauth-server.js';

const REDIRECT = 'http://127.0.0.1:9/callback';

let server: OAuthTestServer;
beforeAll(async () => {
  server = await startOAuthServer({ registrationsPerHour: 1000 });
});
afterAll(() => server.close());

interface Tokens {
  access_token: string;
  refresh_token: string;
  scope: string;
  clientId: string;
}

async function signIn(target: OAuthTestServer, email: string, o: { organization?: string; scope?: string; redirectUri?: string } = {}): Promise<Tokens> {
  const redirectUri = o.redirectUri ?? REDIRECT;
  const a = await authorize(target.base, { email, password: PASSWORD, redirectUri, ...o });
  const t = await tokenRequest(target.base, { grant_type: 'authorization_code', code: a.code, client_id: a.clientId, code_verifier: a.verifier, redirect_uri: redirectUri });
  expect(t.status).toBe(200);
  return { ...(t.body as unknown as Tokens), clientId: a.clientId };
}

function refresh(target: OAuthTestServer, t: Tokens) {
  return tokenRequest(target.base, { grant_type: 'refresh_token', refresh_token: t.refresh_token, client_id: t.clientId });
}

async function whoami(target: OAuthTestServer, token: string): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const res = await fetch(target.mcpUrl, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'whoami_probe', arguments: {} } }),
  });
  const body = (await res.json()) as Record<string, unknown>;
  const result = (body.result as { structuredContent?: Record<string, unknown> } | undefined)?.structuredContent;
  return { status: res.status, headers: res.headers, body: result ?? body };
}

const sessionsApi = (token: string, init: RequestInit & { path?: string } = {}) =>
  fetch(`${server.base}/api/v1/me/mcp-sessions${init.path ?? ''}`, { ...init, headers: { authorization: `Bearer ${token}` } });

describe('scopes at issuance', () => {
  it("B-AUTH-06: the token carries only what the user's role allows, whatever the client asked for", async () => {
    const t = await signIn(server, 'alice@example.com', { organization: server.orgs.globex, scope: 'mcp:read mcp:write mcp:admin' });
    expect(t.scope).toBe('mcp:read');
    expect(decodeJwt(t.access_token)).toMatchObject({ scope: 'mcp:read', org_id: server.orgs.globex, role: 'viewer' });
  });

  it('B-AUTH-06: a role change takes effect at the next refresh; losing membership ends the session', async () => {
    const carol = await server.gatehouse.auth.directory.createUser({ email: 'carol@example.com', password: PASSWORD });
    await server.gatehouse.auth.directory.addMember(carol.id, server.orgs.acme, 'member');
    const t = await signIn(server, 'carol@example.com');
    expect(decodeJwt(t.access_token).scope).toBe('mcp:read mcp:write');

    await server.gatehouse.auth.directory.setRole(carol.id, server.orgs.acme, 'viewer');
    const downgraded = await refresh(server, t);
    expect(downgraded.status).toBe(200);
    expect(decodeJwt(downgraded.body.access_token as string)).toMatchObject({ scope: 'mcp:read', role: 'viewer' });

    await server.gatehouse.auth.directory.removeMember(carol.id, server.orgs.acme);
    const gone = await refresh(server, { ...t, refresh_token: downgraded.body.refresh_token as string });
    expect(gone.status).toBe(400);
    expect(gone.body).toMatchObject({ error: 'invalid_grant', error_description: expect.stringMatching(/no longer a member/) });
  });

  it('B-AUTH-06: a token is requested for this MCP resource only (RFC 8707)', async () => {
    const reg = await fetch(`${server.base}/oauth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_name: 'Wrong resource', redirect_uris: [REDIRECT] }) });
    const { client_id } = (await reg.json()) as { client_id: string };
    const q = new URLSearchParams({ response_type: 'code', client_id, redirect_uri: REDIRECT, code_challenge: 'x'.repeat(43), code_challenge_method: 'S256', resource: 'https://other.example/mcp' });
    const res = await fetch(`${server.base}/oauth/authorize?${q}`, { redirect: 'manual' });
    const back = new URL(res.headers.get('location') as string);
    expect(back.searchParams.get('error')).toBe('invalid_target');
    expect(back.searchParams.get('error_description')).toContain(server.mcpUrl);
    expect(back.searchParams.get('code')).toBeNull();
  });
});

describe('step-up', () => {
  it('B-AUTH-08: a token without the required scope → 403 insufficient_scope, with the scope in the body and in WWW-Authenticate', async () => {
    const strict = await startOAuthServer({ requiredScope: 'mcp:admin' });
    try {
      const member = await signIn(strict, 'bob@example.com');
      const res = await whoami(strict, member.access_token);
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ error: 'insufficient_scope', required_scope: 'mcp:admin', error_description: 'Missing required scope: mcp:admin' });
      expect(res.headers.get('www-authenticate')).toBe(
        `Bearer realm="mcp", resource_metadata="${strict.base}/.well-known/oauth-protected-resource/mcp", error="insufficient_scope", scope="mcp:admin"`,
      );
      const owner = await signIn(strict, 'alice@example.com', { organization: strict.orgs.acme });
      expect((await whoami(strict, owner.access_token)).status).toBe(200);
    } finally {
      await strict.close();
    }
  });
});

describe('sessions', () => {
  it('B-AUTH-09: RFC 7009 revocation of a refresh token ends only that sign-in', async () => {
    const one = await signIn(server, 'alice@example.com', { organization: server.orgs.acme, redirectUri: 'http://127.0.0.1:9/one' });
    const two = await signIn(server, 'alice@example.com', { organization: server.orgs.acme, redirectUri: 'http://127.0.0.1:9/two' });
    const res = await fetch(`${server.base}/oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: one.refresh_token, token_type_hint: 'refresh_token', client_id: one.clientId }),
    });
    expect(res.status).toBe(200);
    expect((await refresh(server, one)).body.error).toBe('invalid_grant');
    expect((await whoami(server, one.access_token)).status).toBe(401);
    expect((await whoami(server, two.access_token)).status).toBe(200);
    expect((await refresh(server, two)).status).toBe(200);
  });

  it('B-AUTH-09: two sign-ins from the same client are two sessions; one can be ended by id', async () => {
    const bobA = await signIn(server, 'bob@example.com', { redirectUri: 'http://127.0.0.1:9/same' });
    const bobB = await signIn(server, 'bob@example.com', { redirectUri: 'http://127.0.0.1:9/same' });
    expect(bobB.clientId).toBe(bobA.clientId);
    const listed = (await (await sessionsApi(bobA.access_token)).json()) as { sessions: { id: string; client_id: string; current: boolean; created_at: string; last_used_at: string; organization_id: string }[] };
    const mine = listed.sessions.filter((s) => s.client_id === bobA.clientId);
    expect(mine).toHaveLength(2);
    expect(mine.filter((s) => s.current)).toHaveLength(1);
    expect(mine[0]).toMatchObject({ organization_id: server.orgs.acme, created_at: expect.stringMatching(/^\d{4}-/), last_used_at: expect.stringMatching(/^\d{4}-/) });

    const other = mine.find((s) => !s.current) as { id: string };
    expect(await (await sessionsApi(bobA.access_token, { method: 'DELETE', path: `/${other.id}` })).json()).toEqual({ revoked: 1 });
    expect((await whoami(server, bobB.access_token)).status).toBe(401);
    expect((await whoami(server, bobA.access_token)).status).toBe(200);
    // Another user's session id reads as absent.
    const alice = await signIn(server, 'alice@example.com', { organization: server.orgs.acme });
    const notMine = await sessionsApi(alice.access_token, { method: 'DELETE', path: `/${(mine.find((s) => s.current) as { id: string }).id}` });
    expect(notMine.status).toBe(404);
    expect((await whoami(server, bobA.access_token)).status).toBe(200);
  });

  it('B-AUTH-09: revoking all sessions without confirm=true is refused with confirmation_required; with it, every family of the user ends', async () => {
    const dave = await server.gatehouse.auth.directory.createUser({ email: 'dave@example.com', password: PASSWORD });
    await server.gatehouse.auth.directory.addMember(dave.id, server.orgs.acme, 'member');
    await server.gatehouse.auth.directory.addMember(dave.id, server.orgs.globex, 'member');
    const acme = await signIn(server, 'dave@example.com', { organization: server.orgs.acme, redirectUri: 'http://127.0.0.1:9/a' });
    const globex = await signIn(server, 'dave@example.com', { organization: server.orgs.globex, redirectUri: 'http://127.0.0.1:9/b' });
    const bystander = await signIn(server, 'bob@example.com');

    const refused = await sessionsApi(acme.access_token, { method: 'DELETE' });
    expect(refused.status).toBe(428);
    expect(await refused.json()).toMatchObject({ error: 'confirmation_required', summary: 'Revoke 2 MCP sessions across all clients and organizations.' });
    expect((await whoami(server, globex.access_token)).status).toBe(200);

    const done = await sessionsApi(acme.access_token, { method: 'DELETE', path: '?confirm=true' });
    expect(await done.json()).toEqual({ revoked: 2 });
    for (const t of [acme, globex]) {
      expect((await whoami(server, t.access_token)).status).toBe(401);
      expect((await refresh(server, t)).body.error).toBe('invalid_grant');
    }
    expect((await whoami(server, bystander.access_token)).status).toBe(200);
  });

  it('B-AUTH-09: the sessions API needs a credential', async () => {
    const res = await fetch(`${server.base}/api/v1/me/mcp-sessions`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain('resource_metadata=');
  });
});

describe('API keys', () => {
  async function newKey(o: { scopes?: string[]; expiresAt?: number } = {}) {
    return server.gatehouse.auth.apiKeys.create({ userId: server.users.bob, organizationId: server.orgs.acme, name: 'ci', scopes: o.scopes ?? ['mcp:read'], expiresAt: o.expiresAt ?? null });
  }

  it('B-AUTH-10: a key authenticates as its user and organization with its scopes, and its use is recorded', async () => {
    const { key, row } = await newKey();
    expect(key).toMatch(/^gh_[A-Za-z0-9_-]{43}$/);
    const stored = await server.gatehouse.database.db.selectFrom('api_keys').selectAll().where('id', '=', row.id).executeTakeFirstOrThrow();
    expect(JSON.stringify(stored)).not.toContain(key.slice(3));
    expect(stored.last_used_at).toBeNull();
    const res = await whoami(server, key);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ user: server.users.bob, organization: server.orgs.acme, role: 'member', scopes: ['mcp:read'], kind: 'api_key' });
    await new Promise((r) => setTimeout(r, 50));
    const used = await server.gatehouse.auth.apiKeys.get(row.id);
    expect(used?.last_used_at).toBeTypeOf('number');
  });

  it('B-AUTH-10: unknown, revoked and expired keys → 401 {"error":"Unauthorized"}', async () => {
    const expect401 = async (key: string) => {
      const res = await whoami(server, key);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ error: 'Unauthorized' });
    };
    await expect401(`gh_${'x'.repeat(43)}`);
    const revoked = await newKey();
    expect((await whoami(server, revoked.key)).status).toBe(200);
    await server.gatehouse.auth.apiKeys.revoke(revoked.row.id);
    server.gatehouse.auth.apiKeyAuthenticator.forget(revoked.row.id);
    await expect401(revoked.key);
    const expired = await newKey({ expiresAt: Date.now() - 1000 });
    await expect401(expired.key);
  });

  it("B-AUTH-10: a key's scopes never exceed the user's current role", async () => {
    const { key } = await newKey({ scopes: ['mcp:read', 'mcp:write', 'mcp:admin'] });
    expect((await whoami(server, key)).body).toMatchObject({ scopes: ['mcp:read', 'mcp:write'] });
  });
});
