import { randomBytes } from 'node:crypto';
import { importJWK, SignJWT, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSigningKeys } from '../../src/auth/oauth/signing-keys.js';
import { SecretBox } from '../../src/store/secret-box.js';
import { actionOf, authorize, csrfOf, FlowBrowser, pkce, tokenRequest } from '../helpers/oauth-flow.js';
import { PASSWORD, startOAuthServer, type OAuthTestServer } from '../helpers/oauth-server.js';

const SECRET = randomBytes(32).toString('base64url');
const REDIRECT = 'http://127.0.0.1:9/callback';
const alice = { email: 'alice@example.com', password: PASSWORD, redirectUri: REDIRECT };

let server: OAuthTestServer;
let sign: (claims: Record<string, unknown>, header?: Record<string, unknown>) => Promise<string>;

beforeAll(async () => {
  server = await startOAuthServer({ refreshReuseGraceSeconds: 1, registrationsPerHour: 1000 }, { secret: SECRET });
  // The authorization server's own signing key: the only way to forge a token that differs in exactly one claim.
  const keys = await loadSigningKeys(server.gatehouse.database.db, new SecretBox(SECRET, 'signing-keys'));
  const jwk = keys.privateJwks.keys[0] as JWK;
  const key = await importJWK(jwk, 'ES256');
  sign = (claims, header = {}) => new SignJWT(claims).setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid: jwk.kid, ...header }).sign(key);
});
afterAll(() => server.close());

async function exchange(code: string, clientId: string, verifier: string, redirectUri = REDIRECT) {
  return tokenRequest(server.base, { grant_type: 'authorization_code', code, client_id: clientId, code_verifier: verifier, redirect_uri: redirectUri });
}

async function callTool(token: string): Promise<Response> {
  return fetch(server.mcpUrl, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
  });
}

async function register(redirectUris: string[] = [REDIRECT], name = 'Attack test client'): Promise<string> {
  const res = await fetch(`${server.base}/oauth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_name: name, redirect_uris: redirectUris }) });
  return ((await res.json()) as { client_id: string }).client_id;
}

/** An authorization request that must be refused without ever sending the user to `redirect_uri`. */
async function expectRefusedPage(query: Record<string, string>): Promise<string> {
  const res = await fetch(`${server.base}/oauth/authorize?${new URLSearchParams(query)}`, { redirect: 'manual' });
  expect(res.status).toBe(400);
  expect(res.headers.get('location')).toBeNull();
  expect(res.headers.get('content-type')).toMatch(/text\/html/);
  return res.text();
}

function authorizeQuery(clientId: string, over: Record<string, string> = {}): Record<string, string> {
  return { response_type: 'code', client_id: clientId, redirect_uri: REDIRECT, code_challenge: pkce().challenge, code_challenge_method: 'S256', state: 's', resource: server.mcpUrl, ...over };
}

describe('redirect URIs are matched exactly', () => {
  it.each([
    ['a longer path', `${REDIRECT}/../../evil`],
    ['a path suffix', `${REDIRECT}x`],
    ['an extra query', `${REDIRECT}?next=https://evil.example`],
    ['another host', 'https://evil.example/callback'],
    ['userinfo trick', 'http://127.0.0.1:9@evil.example/callback'],
    ['a fragment', `${REDIRECT}#x`],
  ])('B-AUTH-05: a redirect_uri with %s is refused on a page, never redirected to', async (_name, redirectUri) => {
    const clientId = await register();
    const body = await expectRefusedPage(authorizeQuery(clientId, { redirect_uri: redirectUri }));
    expect(body).toContain('Sign-in could not continue');
    expect(body).not.toContain('evil.example');
  });

  it('B-AUTH-05: a code is bound to the redirect_uri it was issued for', async () => {
    const clientId = await register([REDIRECT, 'http://127.0.0.1:9/other']);
    const a = await authorize(server.base, { ...alice, clientId });
    const res = await exchange(a.code, clientId, a.verifier, 'http://127.0.0.1:9/other');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_grant');
  });
});

describe('authorization codes', () => {
  it('B-AUTH-05: a replayed code is refused with invalid_grant and revokes every token it issued', async () => {
    const a = await authorize(server.base, alice);
    const first = await exchange(a.code, a.clientId, a.verifier);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    const access = first.body.access_token as string;
    expect((await callTool(access)).status).toBe(200);

    const replay = await exchange(a.code, a.clientId, a.verifier);
    expect(replay.status).toBe(400);
    expect(replay.body).toMatchObject({ error: 'invalid_grant' });

    const after = await callTool(access);
    expect(after.status).toBe(401);
    expect(await after.json()).toMatchObject({ error: 'invalid_token', error_description: 'Invalid or expired access token' });
    const refresh = await tokenRequest(server.base, { grant_type: 'refresh_token', refresh_token: first.body.refresh_token as string, client_id: a.clientId });
    expect(refresh.body.error).toBe('invalid_grant');
  });

  it('B-AUTH-05: a code cannot be redeemed by another client', async () => {
    const a = await authorize(server.base, alice);
    const other = await register([REDIRECT], 'Another client');
    const res = await exchange(a.code, other, a.verifier);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_grant');
  });

  it('B-AUTH-05: a code expires after its lifetime', async () => {
    const short = await startOAuthServer({ authorizationCodeTtl: 10 });
    try {
      const a = await authorize(short.base, alice);
      const row = await short.gatehouse.database.db.updateTable('oidc_payloads').set({ expires_at: Date.now() - 1 }).where('model', '=', 'AuthorizationCode').executeTakeFirst();
      expect(Number(row.numUpdatedRows)).toBe(1);
      const res = await tokenRequest(short.base, { grant_type: 'authorization_code', code: a.code, client_id: a.clientId, code_verifier: a.verifier, redirect_uri: REDIRECT });
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_grant');
    } finally {
      await short.close();
    }
  });
});

describe('PKCE', () => {
  it('B-AUTH-05: a wrong code_verifier is refused with invalid_grant', async () => {
    const a = await authorize(server.base, alice);
    const res = await exchange(a.code, a.clientId, pkce().verifier);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_grant');
  });

  it('B-AUTH-05: a missing code_verifier is refused', async () => {
    const a = await authorize(server.base, alice);
    const res = await tokenRequest(server.base, { grant_type: 'authorization_code', code: a.code, client_id: a.clientId, redirect_uri: REDIRECT });
    expect(res.status).toBe(400);
    expect(['invalid_grant', 'invalid_request']).toContain(res.body.error);
  });

  it('B-AUTH-04: an authorization request without a code_challenge gets no code', async () => {
    const clientId = await register();
    const { code_challenge: _c, code_challenge_method: _m, ...query } = authorizeQuery(clientId);
    const res = await fetch(`${server.base}/oauth/authorize?${new URLSearchParams(query)}`, { redirect: 'manual' });
    const location = new URL(res.headers.get('location') as string);
    expect(location.origin + location.pathname).toBe(REDIRECT);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('error_description')).toMatch(/PKCE/);
    expect(location.searchParams.get('code')).toBeNull();
  });

  it('B-AUTH-04: a downgrade to the plain method is refused', async () => {
    const clientId = await register();
    const { verifier } = pkce();
    const res = await fetch(`${server.base}/oauth/authorize?${new URLSearchParams(authorizeQuery(clientId, { code_challenge: verifier, code_challenge_method: 'plain' }))}`, { redirect: 'manual' });
    const location = new URL(res.headers.get('location') as string);
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('code')).toBeNull();
  });
});

describe('access tokens at the resource server', () => {
  const now = () => Math.floor(Date.now() / 1000);
  const claims = () => ({ iss: server.base, aud: server.mcpUrl, sub: server.users.alice, client_id: 'c', scope: 'mcp:read', iat: now(), exp: now() + 300, jti: randomBytes(8).toString('hex') });

  it('B-AUTH-07: a correctly signed token for another audience is refused as invalid_token', async () => {
    const res = await callTool(await sign({ ...claims(), aud: 'https://other.example/mcp' }));
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: 'invalid_token', error_description: 'Invalid or expired access token' });
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('B-AUTH-07: a token from another issuer, or not typed as an access token, is refused', async () => {
    expect((await callTool(await sign({ ...claims(), iss: 'https://evil.example' }))).status).toBe(401);
    expect((await callTool(await sign(claims(), { typ: 'JWT' }))).status).toBe(401);
  });

  it('B-AUTH-07: an expired token is told apart as token_expired', async () => {
    const res = await callTool(await sign({ ...claims(), iat: now() - 600, exp: now() - 120 }));
    expect(res.status).toBe(401);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ error: 'invalid_token', code: 'token_expired' });
    expect(res.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('B-AUTH-12: a token a few seconds past expiry or not yet valid is accepted within the leeway', async () => {
    expect((await callTool(await sign({ ...claims(), iat: now() - 300, exp: now() - 10 }))).status).toBe(200);
    expect((await callTool(await sign({ ...claims(), nbf: now() + 10 }))).status).toBe(200);
    expect((await callTool(await sign({ ...claims(), nbf: now() + 120 }))).status).toBe(401);
  });

  it('B-AUTH-07: a tampered token is refused', async () => {
    const token = await sign(claims());
    const [h, p, s] = token.split('.') as [string, string, string];
    const forged = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), scope: 'mcp:admin' })).toString('base64url');
    expect((await callTool(`${h}.${forged}.${s}`)).status).toBe(401);
  });
});

describe('refresh tokens', () => {
  it('B-AUTH-06: a rotated refresh token presented again within the grace window still works (two tabs refreshing)', async () => {
    const a = await authorize(server.base, alice);
    const t = (await exchange(a.code, a.clientId, a.verifier)).body;
    const r1 = t.refresh_token as string;
    const second = await tokenRequest(server.base, { grant_type: 'refresh_token', refresh_token: r1, client_id: a.clientId });
    expect(second.status).toBe(200);
    expect(second.body.refresh_token).not.toBe(r1);
    const concurrent = await tokenRequest(server.base, { grant_type: 'refresh_token', refresh_token: r1, client_id: a.clientId });
    expect(concurrent.status).toBe(200);
  });

  it('B-AUTH-06: reuse of a rotated refresh token after the grace window revokes the whole family', async () => {
    const a = await authorize(server.base, alice);
    const t = (await exchange(a.code, a.clientId, a.verifier)).body;
    const r1 = t.refresh_token as string;
    const rotated = await tokenRequest(server.base, { grant_type: 'refresh_token', refresh_token: r1, client_id: a.clientId });
    const access = rotated.body.access_token as string;
    expect((await callTool(access)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1_200));

    const reuse = await tokenRequest(server.base, { grant_type: 'refresh_token', refresh_token: r1, client_id: a.clientId });
    expect(reuse.status).toBe(400);
    expect(reuse.body.error).toBe('invalid_grant');
    // The legitimate holder's newer tokens die with the family.
    const r2 = await tokenRequest(server.base, { grant_type: 'refresh_token', refresh_token: rotated.body.refresh_token as string, client_id: a.clientId });
    expect(r2.body.error).toBe('invalid_grant');
    expect((await callTool(access)).status).toBe(401);
  });

  it('B-AUTH-06: a refresh token is bound to its client', async () => {
    const a = await authorize(server.base, alice);
    const t = (await exchange(a.code, a.clientId, a.verifier)).body;
    const other = await register([REDIRECT], 'Thief');
    const res = await tokenRequest(server.base, { grant_type: 'refresh_token', refresh_token: t.refresh_token as string, client_id: other });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_grant');
  });
});

describe('consent CSRF', () => {
  async function atConsent() {
    const browser = new FlowBrowser(server.base);
    const clientId = await register();
    const signIn = await browser.follow(await browser.request(`/oauth/authorize?${new URLSearchParams(authorizeQuery(clientId))}`));
    const consent = await browser.follow(await browser.postForm(actionOf(signIn.body), { csrf: csrfOf(signIn.body), email: alice.email, password: PASSWORD }));
    return { browser, page: consent.body, action: actionOf(consent.body) };
  }

  it('B-AUTH-04: an approval without the form token is refused with 403 and issues no code', async () => {
    const { browser, action } = await atConsent();
    const res = await browser.postForm(action, { organization: server.orgs.acme, decision: 'approve' });
    expect(res.status).toBe(403);
    expect(res.headers.get('location')).toBeNull();
    expect(await res.text()).toContain('did not come from this page');
  });

  it('B-AUTH-04: an approval posted from another origin is refused even with a valid token', async () => {
    const { browser, page, action } = await atConsent();
    const res = await browser.postForm(action, { csrf: csrfOf(page), organization: server.orgs.acme, decision: 'approve' }, { origin: 'https://evil.example' });
    expect(res.status).toBe(403);
  });

  it("B-AUTH-04: another interaction's token does not approve this one", async () => {
    const first = await atConsent();
    const second = await atConsent();
    const res = await second.browser.postForm(second.action, { csrf: csrfOf(first.page), organization: server.orgs.acme, decision: 'approve' });
    expect(res.status).toBe(403);
  });

  it('B-AUTH-04: a cross-site post without the browser cookies finds no pending authorization', async () => {
    const { page, action } = await atConsent();
    const stranger = new FlowBrowser(server.base);
    const res = await stranger.postForm(action, { csrf: csrfOf(page), organization: server.orgs.acme, decision: 'approve' });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('No pending authorization');
  });

  it('B-AUTH-04: the pages cannot be framed', async () => {
    const { browser } = await atConsent();
    const res = await browser.request(`/oauth/authorize?${new URLSearchParams(authorizeQuery(await register()))}`);
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
  });
});
