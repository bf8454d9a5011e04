import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { actionOf, authorize, csrfOf, FlowBrowser, pkce } from '../helpers/oauth-flow.js';
import { freePort, PASSWORD, startOAuthServer, type OAuthTestServer } from '../helpers/oauth-server.js';
import { BUILTIN_TOOL_NAMES } from '../../src/tenancy/builtin-tools.js';

const REDIRECT = 'http://127.0.0.1:9/callback';

let server: OAuthTestServer;
beforeAll(async () => {
  server = await startOAuthServer({ registrationsPerHour: 1000 });
});
afterAll(() => server.close());

async function json(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function register(base: string, metadata: Record<string, unknown>): Promise<Response> {
  return fetch(`${base}/oauth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(metadata) });
}

/** A raw request with the headers a proxy or an attacker could send (fetch will not forge Host). */
function rawGet(port: number, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('discovery', () => {
  it('B-AUTH-01: /mcp without a token answers 401 with the resource metadata URL in WWW-Authenticate', async () => {
    for (const method of ['GET', 'POST']) {
      const res = await fetch(server.mcpUrl, {
        method,
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        ...(method === 'POST' ? { body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }) } : {}),
      });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe(`Bearer realm="mcp", resource_metadata="${server.base}/.well-known/oauth-protected-resource/mcp"`);
      expect(await res.json()).toMatchObject({ error: 'invalid_request', code: 'auth_required' });
    }
  });

  it('B-AUTH-02: RFC 9728 protected-resource metadata at the root and path-inserted', async () => {
    for (const path of ['/.well-known/oauth-protected-resource', '/.well-known/oauth-protected-resource/mcp']) {
      const { status, body } = await json(`${server.base}${path}`);
      expect(status).toBe(200);
      expect(body).toMatchObject({ resource: server.mcpUrl, authorization_servers: [server.base], scopes_supported: ['mcp:read', 'mcp:write', 'mcp:admin', 'mcp:read_pii'], bearer_methods_supported: ['header'] });
    }
  });

  it('B-AUTH-02: RFC 8414 and OpenID discovery describe an OAuth 2.1 server with S256 PKCE, iss in responses, DCR and CIMD', async () => {
    const oauth = await json(`${server.base}/.well-known/oauth-authorization-server`);
    const oidc = await json(`${server.base}/.well-known/openid-configuration`);
    for (const { status, body } of [oauth, oidc]) {
      expect(status).toBe(200);
      expect(body).toMatchObject({
        issuer: server.base,
        authorization_endpoint: `${server.base}/oauth/authorize`,
        token_endpoint: `${server.base}/oauth/token`,
        registration_endpoint: `${server.base}/oauth/register`,
        revocation_endpoint: `${server.base}/oauth/revoke`,
        jwks_uri: `${server.base}/oauth/jwks`,
        code_challenge_methods_supported: ['S256'],
        response_types_supported: ['code'],
        authorization_response_iss_parameter_supported: true,
        client_id_metadata_document_supported: true,
      });
      expect(body.grant_types_supported).toEqual(expect.arrayContaining(['authorization_code', 'refresh_token']));
      expect(body.grant_types_supported).not.toContain('implicit');
      expect(body.scopes_supported).toEqual(expect.arrayContaining(['mcp:read', 'mcp:write', 'mcp:admin']));
    }
  });

  it('B-AUTH-02: the authorization response carries iss (RFC 9207)', async () => {
    const a = await authorize(server.base, { email: 'bob@example.com', password: PASSWORD, redirectUri: REDIRECT });
    expect(a.iss).toBe(server.base);
    expect(a.state).toMatch(/^[0-9a-f]{16}$/);
  });

  it('B-SRV-03: every advertised URL derives from the public URL, whatever Host or X-Forwarded-* a request claims', async () => {
    const port = await freePort();
    const behindProxy = await startOAuthServer({}, { port, publicUrl: 'https://mcp.acme.test', host: '127.0.0.1', allowedHosts: ['127.0.0.1'] });
    try {
      for (const path of ['/.well-known/oauth-authorization-server', '/.well-known/oauth-protected-resource/mcp']) {
        const res = await rawGet(port, path, { host: '127.0.0.1', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'http' });
        expect(res.status).toBe(200);
        expect(res.body).not.toContain('evil.example');
        expect(res.body).not.toContain('127.0.0.1');
        const body = JSON.parse(res.body) as Record<string, unknown>;
        if ('issuer' in body) expect(body.authorization_endpoint).toBe('https://mcp.acme.test/oauth/authorize');
        else expect(body).toMatchObject({ resource: 'https://mcp.acme.test/mcp', authorization_servers: ['https://mcp.acme.test'] });
      }
    } finally {
      await behindProxy.close();
    }
  });
});

describe('dynamic client registration (RFC 7591)', () => {
  it.each([
    ['a scope outside the supported set', { scope: 'mcp:read mcp:superuser' }, /^scope: .*mcp:superuser/],
    ['missing redirect_uris', { redirect_uris: undefined }, /^redirect_uris: is required/],
    ['empty redirect_uris', { redirect_uris: [] }, /^redirect_uris: is required/],
    ['a malformed redirect URI', { redirect_uris: ['not a url'] }, /^redirect_uris: "not a url" is not an absolute URL/],
    ['plain http off loopback', { redirect_uris: ['http://app.example.com/cb'] }, /^redirect_uris: .*must use https/],
    ['a javascript: redirect URI', { redirect_uris: ['javascript:alert(1)'] }, /^redirect_uris: /],
    ['a redirect URI with a fragment', { redirect_uris: ['https://app.example.com/cb#x'] }, /^redirect_uris: .*fragment/],
    ['an implicit grant', { grant_types: ['implicit'] }, /^grant_types: /],
    ['an unknown auth method', { token_endpoint_auth_method: 'private_key_jwt' }, /^token_endpoint_auth_method: /],
  ])('B-AUTH-03: %s → 400 invalid_client_metadata naming the field', async (_name, override, description) => {
    const res = await register(server.base, { client_name: 'Bad', redirect_uris: ['https://app.example.com/cb'], ...override });
    expect(res.status).toBe(400);
    const body = (await res.json()) as Record<string, string>;
    expect(body.error).toBe('invalid_client_metadata');
    expect(body.error_description).toMatch(description);
  });

  it('B-AUTH-03: a body that is not JSON is refused', async () => {
    const res = await fetch(`${server.base}/oauth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"redirect_uris":' });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: string }).error).toMatch(/invalid_(request|client_metadata)/);
  });

  it('B-AUTH-03: registering identical metadata again returns the same client, not a new row', async () => {
    const meta = { client_name: 'Repeat client', redirect_uris: ['http://127.0.0.1:7777/cb'] };
    const a = (await (await register(server.base, meta)).json()) as { client_id: string };
    const b = (await (await register(server.base, meta)).json()) as { client_id: string };
    expect(b.client_id).toBe(a.client_id);
    const rows = await server.gatehouse.database.db.selectFrom('oauth_clients').select('client_id').where('client_id', '=', a.client_id).execute();
    expect(rows).toHaveLength(1);
    const c = (await (await register(server.base, { ...meta, client_name: 'Another client' })).json()) as { client_id: string };
    expect(c.client_id).not.toBe(a.client_id);
  });

  it('B-AUTH-03: registrations are limited per IP → 429 too_many_registrations with retry_after', async () => {
    const limited = await startOAuthServer({ registrationsPerHour: 2 });
    try {
      for (let i = 0; i < 2; i++) expect((await register(limited.base, { client_name: `c${i}`, redirect_uris: [REDIRECT] })).status).toBe(201);
      const res = await register(limited.base, { client_name: 'c3', redirect_uris: [REDIRECT] });
      expect(res.status).toBe(429);
      const retryAfter = Number(res.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(3000);
      expect(retryAfter).toBeLessThanOrEqual(3600);
      expect(await res.json()).toMatchObject({ error: 'too_many_registrations', retryable: true, retry_after: retryAfter });
    } finally {
      await limited.close();
    }
  });

  it('B-AUTH-03: clients never used for the configured time are removed; used ones stay', async () => {
    const unused = (await (await register(server.base, { client_name: 'Never used', redirect_uris: ['http://127.0.0.1:7001/cb'] })).json()) as { client_id: string };
    const used = await authorize(server.base, { email: 'bob@example.com', password: PASSWORD, redirectUri: 'http://127.0.0.1:7002/cb' });
    await fetch(`${server.base}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: used.code, client_id: used.clientId, code_verifier: used.verifier, redirect_uri: 'http://127.0.0.1:7002/cb' }),
    });
    await new Promise((r) => setTimeout(r, 50)); // last-use is recorded after the response
    const db = server.gatehouse.database.db;
    // Both registered long ago; only one was used since.
    await db.updateTable('oauth_clients').set({ created_at: Date.now() - 31 * 86_400_000 }).where('client_id', 'in', [unused.client_id, used.clientId]).execute();
    await server.gatehouse.auth.as?.sweep();
    const left = (await db.selectFrom('oauth_clients').select('client_id').where('client_id', 'in', [unused.client_id, used.clientId]).execute()).map((r) => r.client_id);
    expect(left).toEqual([used.clientId]);
    const res = await fetch(`${server.base}/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: unused.client_id, redirect_uri: 'http://127.0.0.1:7001/cb', code_challenge: pkce().challenge, code_challenge_method: 'S256' })}`, { redirect: 'manual' });
    expect(res.status).toBe(400);
  });
});

describe('sign-in', () => {
  it('B-AUTH-04: approving after the pending request is gone shows "No pending authorization" and tells the user to restart', async () => {
    const browser = new FlowBrowser(server.base);
    const reg = (await (await register(server.base, { client_name: 'Slow user', redirect_uris: [REDIRECT] })).json()) as { client_id: string };
    const q = new URLSearchParams({ response_type: 'code', client_id: reg.client_id, redirect_uri: REDIRECT, code_challenge: pkce().challenge, code_challenge_method: 'S256' });
    const signIn = await browser.follow(await browser.request(`/oauth/authorize?${q}`));
    const consent = await browser.follow(await browser.postForm(actionOf(signIn.body), { csrf: csrfOf(signIn.body), email: 'bob@example.com', password: PASSWORD }));
    // The pending request expires (or the server lost it) while the consent page is open.
    await server.gatehouse.database.db.deleteFrom('oidc_payloads').where('model', '=', 'Interaction').execute();
    const res = await browser.postForm(actionOf(consent.body), { csrf: csrfOf(consent.body), organization: server.orgs.acme, decision: 'approve' });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('No pending authorization');
    expect(html).toContain('Start the connection again from your MCP client');
    expect((await browser.request('/oauth/interaction/does-not-exist')).status).toBe(400);
  });

  it('B-AUTH-04: repeated wrong passwords lock the account; the right password is refused while locked', async () => {
    const locking = await startOAuthServer({ lockout: { maxFailures: 3, lockSeconds: 600 } });
    try {
      const browser = new FlowBrowser(locking.base);
      const reg = (await (await register(locking.base, { client_name: 'Lockout', redirect_uris: [REDIRECT] })).json()) as { client_id: string };
      const q = new URLSearchParams({ response_type: 'code', client_id: reg.client_id, redirect_uri: REDIRECT, code_challenge: pkce().challenge, code_challenge_method: 'S256' });
      const page = await browser.follow(await browser.request(`/oauth/authorize?${q}`));
      const attempt = async (password: string) => browser.postForm(actionOf(page.body), { csrf: csrfOf(page.body), email: 'bob@example.com', password });
      const first = await attempt('wrong');
      expect(first.status).toBe(401);
      expect(await first.text()).toContain('That email and password do not match an account.');
      await attempt('wrong');
      const third = await attempt('wrong');
      expect(third.status).toBe(423);
      expect(await third.text()).toContain('this account is locked for 10 minutes');
      expect((await attempt(PASSWORD)).status).toBe(423);
      // An unknown account answers exactly like a wrong password.
      const unknown = await browser.postForm(actionOf(page.body), { csrf: csrfOf(page.body), email: 'nobody@example.com', password: 'x' });
      expect(unknown.status).toBe(401);
    } finally {
      await locking.close();
    }
  });
});

describe('start-up', () => {
  it('B-SRV-02: with the built-in authorization server on, the start-up log says MCP OAuth provider initialized', () => {
    const line = server.logs.find((l) => l.msg === 'MCP OAuth provider initialized');
    expect(line).toMatchObject({ issuer: server.base, resource: server.mcpUrl });
    const order = server.logs.map((l) => l.msg);
    expect(order.indexOf('MCP server registered at /mcp')).toBeLessThan(order.indexOf('MCP OAuth provider initialized'));
  });
});

describe('the discovery sequence of seed 003, step by step', () => {
  it('B-AUTH-01/02/03/05/06: probe → resource metadata → AS metadata → register → browser consent → token → authenticated call', async () => {
    const rpc = (headers: Record<string, string> = {}) =>
      fetch(server.mcpUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25', ...headers },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
    // 1. The probe: 401 pointing at the resource metadata.
    const probe = await rpc();
    expect(probe.status).toBe(401);
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(probe.headers.get('www-authenticate') ?? '')?.[1] as string;
    // 2. RFC 9728, from the URL the header gave.
    const prm = (await json(metadataUrl)).body as { resource: string; authorization_servers: string[] };
    expect(prm.resource).toBe(server.mcpUrl);
    // 3. RFC 8414, from the authorization server the metadata named.
    const as = (await json(`${prm.authorization_servers[0]}/.well-known/oauth-authorization-server`)).body as Record<string, string>;
    // 4. RFC 7591, at the advertised endpoint.
    const reg = await fetch(as.registration_endpoint as string, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_name: 'Seed 003 client', redirect_uris: [REDIRECT] }) });
    expect(reg.status).toBe(201);
    const { client_id } = (await reg.json()) as { client_id: string };
    // 5. The user signs in and consents at the advertised authorization endpoint.
    expect(as.authorization_endpoint).toBe(`${server.base}/oauth/authorize`);
    const granted = await authorize(server.base, { email: 'bob@example.com', password: PASSWORD, redirectUri: REDIRECT, clientId: client_id, resource: prm.resource });
    // 6. The code for tokens, at the advertised token endpoint.
    const token = await fetch(as.token_endpoint as string, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: granted.code, client_id, code_verifier: granted.verifier, redirect_uri: REDIRECT }),
    });
    expect(token.status).toBe(200);
    const { access_token, token_type } = (await token.json()) as { access_token: string; token_type: string };
    expect(token_type).toBe('Bearer');
    // 7. The call, authenticated.
    const call = await rpc({ authorization: `Bearer ${access_token}` });
    expect(call.status).toBe(200);
    expect(((await call.json()) as { result: { tools: { name: string }[] } }).result.tools.map((t) => t.name)).toEqual(['whoami_probe', ...BUILTIN_TOOL_NAMES]);
  });
});

describe('the hot path after sign-ins', () => {
  it("B-SRV-01: once the authorization server's requests are done, its per-request context is released (no process-wide promise hooks on /mcp)", async () => {
    const a = await authorize(server.base, { email: 'bob@example.com', password: PASSWORD, redirectUri: REDIRECT });
    const as = server.gatehouse.auth.as;
    const exchange = fetch(`${server.base}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: a.code, client_id: a.clientId, code_verifier: a.verifier, redirect_uri: REDIRECT }),
    });
    expect((await exchange).status).toBe(200);
    await new Promise((r) => setTimeout(r, 20));
    expect(as?.contexts.active).toBe(false);
  });
});
