import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { AuditQuery, type AuditRecord } from '../../src/index.js';
import { actionOf, csrfOf, FlowBrowser, pkce } from '../helpers/oauth-flow.js';
import { freePort, startOAuthServer, type OAuthTestServer } from '../helpers/oauth-server.js';
import { REDIRECT } from '../helpers/sign-in.js';
import { startUpstreamIdp } from '../helpers/upstream-idp.js';

let idp: Awaited<ReturnType<typeof startUpstreamIdp>>;
let server: OAuthTestServer;

beforeAll(async () => {
  const port = await freePort();
  const base = `http://localhost:${port}`;
  idp = await startUpstreamIdp({ redirectUri: `${base}/oauth/upstream/callback`, clientId: 'gatehouse', clientSecret: 'upstream-client-secret-0123456789' });
  server = await startOAuthServer(
    { upstream: { name: 'Acme SSO', issuer: idp.issuer, clientId: 'gatehouse', clientSecret: 'upstream-client-secret-0123456789', createUsers: false, allowInsecureIssuer: true } },
    { port, publicUrl: base, audit: { flushMs: 50 } },
  );
});
afterAll(async () => {
  await server.close();
  await idp.close();
});

/** Plays a browser through "Continue with Acme SSO" and back; returns the page Gatehouse shows at the end and the client id. */
async function upstreamSignIn(): Promise<{ body: string; clientId: string }> {
  const reg = await fetch(`${server.base}/oauth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_name: 'Upstream audit client', redirect_uris: [REDIRECT] }) });
  const clientId = ((await reg.json()) as { client_id: string }).client_id;
  const gh = new FlowBrowser(server.base);
  const q = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: REDIRECT, code_challenge: pkce().challenge, code_challenge_method: 'S256', state: 'st', resource: `${server.base}/mcp` });
  const page = await gh.follow(await gh.request(`/oauth/authorize?${q}`));
  const upstreamAction = actionOf(page.body).replace(/\/login$/, '/upstream');
  const toIdp = await gh.follow(await gh.postForm(upstreamAction, { csrf: csrfOf(page.body) }));
  const upstream = new FlowBrowser(idp.issuer);
  const atIdp = await upstream.follow(await upstream.request(toIdp.url));
  const back = await gh.follow(await gh.request(atIdp.url));
  return { body: back.body, clientId };
}

async function audited(from: number, expectation: (e: AuditRecord[]) => void): Promise<AuditRecord[]> {
  let entries: AuditRecord[] = [];
  await vi.waitFor(
    async () => {
      await server.gatehouse.audit.flush?.();
      entries = [...(await new AuditQuery(server.gatehouse.database.db).page({ kind: ['sign_in', 'sign_in_failed'], from }, { order: 'oldest' })).entries];
      expectation(entries);
    },
    { timeout: 5000, interval: 50 },
  );
  return entries;
}

describe('the audit log of upstream sign-ins', () => {
  it('B-OPS-02: an upstream sign-in is audited with the user, client and provider; a refused one with its code and no email', async () => {
    const since = Date.now();
    idp.next = { sub: 'okta-alice', email: 'alice@example.com', email_verified: true, name: 'Alice' };
    const ok = await upstreamSignIn();
    expect(ok.body).toContain('Approve');
    idp.next = { sub: 'okta-stranger', email: 'stranger@example.com', email_verified: true, name: 'Stranger' };
    const refused = await upstreamSignIn();
    expect(refused.body).toContain('No Acme MCP account uses stranger@example.com');
    const forged = await new FlowBrowser(server.base).request('/oauth/upstream/callback?code=abc&state=forged');
    expect(forged.status).toBe(400);

    const entries = await audited(since, (e) => expect(e).toHaveLength(3));
    const provider = { method: 'upstream', provider: idp.issuer };
    expect(entries).toEqual([
      expect.objectContaining({ kind: 'sign_in', outcome: 'ok', userId: server.users.alice, clientId: ok.clientId, detail: provider }),
      expect.objectContaining({ kind: 'sign_in_failed', outcome: 'upstream_failed', userId: null, clientId: refused.clientId, detail: provider }),
      expect.objectContaining({ kind: 'sign_in_failed', outcome: 'invalid_state', userId: null, clientId: null, detail: provider }),
    ]);
    expect(JSON.stringify(await server.gatehouse.database.db.selectFrom('audit_log').selectAll().execute())).not.toMatch(/stranger|alice@|okta-/);
  });
});
