import { UnauthorizedError } from '@modelcontextprotocol/client';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from '../helpers/browser.js';
import { callbackServer, newClient, StreamableHTTPClientTransport, TestOAuthProvider } from '../helpers/mcp-oauth-client.js';
import { actionOf, FlowBrowser, pkce } from '../helpers/oauth-flow.js';
import { freePort, startOAuthServer, type OAuthTestServer } from '../helpers/oauth-server.js';
import { startUpstreamIdp } from '../helpers/upstream-idp.js';

let browser: Browser;
let callback: Awaited<ReturnType<typeof callbackServer>>;
let idp: Awaited<ReturnType<typeof startUpstreamIdp>>;
let server: OAuthTestServer;

/** Gatehouse with sign-in delegated to `idp` (and, unless told otherwise, passwords too). */
async function gatehouseWithUpstream(o: { passwords?: boolean; createUsers?: boolean } = {}): Promise<{ server: OAuthTestServer; idp: typeof idp }> {
  const port = await freePort();
  const base = `http://localhost:${port}`;
  const upstreamIdp = await startUpstreamIdp({ redirectUri: `${base}/oauth/upstream/callback`, clientId: 'gatehouse', clientSecret: 'upstream-client-secret-0123456789' });
  const gh = await startOAuthServer(
    {
      passwords: o.passwords ?? true,
      upstream: { name: 'Acme SSO', issuer: upstreamIdp.issuer, clientId: 'gatehouse', clientSecret: 'upstream-client-secret-0123456789', createUsers: o.createUsers ?? false, allowInsecureIssuer: true },
    },
    { port, publicUrl: base },
  );
  return { server: gh, idp: upstreamIdp };
}

beforeAll(async () => {
  [browser, callback] = await Promise.all([launchBrowser(), callbackServer()]);
  ({ server, idp } = await gatehouseWithUpstream());
});
afterAll(async () => {
  await Promise.all([browser.close(), callback.close(), server.close(), idp.close()]);
});

/** Starts a connection with the official client and returns the page showing Gatehouse's sign-in. */
async function startConnection(target: OAuthTestServer): Promise<{ provider: TestOAuthProvider; transport: StreamableHTTPClientTransport; page: Page }> {
  const provider = new TestOAuthProvider(callback.url, { name: 'Upstream test client' });
  const transport = new StreamableHTTPClientTransport(new URL(target.mcpUrl), { authProvider: provider });
  await expect(newClient().connect(transport)).rejects.toBeInstanceOf(UnauthorizedError);
  const page = await browser.newPage();
  await page.goto(String(provider.pendingUrl));
  return { provider, transport, page };
}

describe('sign-in through an upstream OpenID Connect provider', () => {
  it('B-AUTH-11: a user signs in with the upstream provider, is matched by verified email, consents, and the client calls a tool as them', async () => {
    idp.next = { sub: 'okta-alice', email: 'alice@example.com', email_verified: true, name: 'Alice' };
    const { provider, transport, page } = await startConnection(server);
    await screenshot(page, 'oauth-upstream-sign-in');
    const returned = callback.next();
    await Promise.all([page.waitForURL(/\/oauth\/interaction\//), page.getByRole('button', { name: 'Continue with Acme SSO' }).click()]);
    await page.getByRole('button', { name: 'Approve' }).waitFor();
    expect(await page.textContent('body')).toContain('alice@example.com');
    await page.getByLabel(/Acme Outfitters/).check();
    await Promise.all([page.waitForURL(/\/callback\?/), page.getByRole('button', { name: 'Approve' }).click()]);
    await page.close();
    await transport.finishAuth(await returned);

    const client = newClient();
    await client.connect(new StreamableHTTPClientTransport(new URL(server.mcpUrl), { authProvider: provider }));
    const result = await client.callTool({ name: 'whoami_probe', arguments: {} });
    expect(result.structuredContent).toMatchObject({ user: server.users.alice, organization: server.orgs.acme, role: 'owner' });
    await client.close();
    // The upstream identity is now linked: it keeps working if the email changes upstream.
    const linked = await server.gatehouse.auth.directory.findUserByIdentity(idp.issuer, 'okta-alice');
    expect(linked?.id).toBe(server.users.alice);
    expect(server.logs.some((l) => l.msg === 'user signed in upstream' && l.user_id === server.users.alice)).toBe(true);
  });

  it('B-AUTH-11: an upstream user with no account here, or no verified email, is told so and gets no code', async () => {
    for (const [who, message] of [
      [{ sub: 'okta-stranger', email: 'stranger@example.com', email_verified: true, name: 'S' }, 'No Acme MCP account uses stranger@example.com'],
      [{ sub: 'okta-unverified', email: 'bob@example.com', email_verified: false, name: 'B' }, 'did not share a verified email address'],
    ] as const) {
      idp.next = who;
      const { page } = await startConnection(server);
      await Promise.all([page.waitForURL(/\/oauth\/upstream\/callback/), page.getByRole('button', { name: 'Continue with Acme SSO' }).click()]);
      expect(await page.textContent('h1')).toBe('Sign-in with Acme SSO failed');
      expect(await page.textContent('body')).toContain(message);
      await page.close();
    }
    expect(await server.gatehouse.auth.directory.findUserByEmail('stranger@example.com')).toBeUndefined();
  });

  it('B-AUTH-11: a callback without the browser flow cookie or with a forged state is refused', async () => {
    const stranger = new FlowBrowser(server.base);
    const res = await stranger.request('/oauth/upstream/callback?code=abc&state=forged');
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('This sign-in was not started here, or it expired.');
  });

  it('B-AUTH-11: with passwords off, the sign-in page offers only the upstream provider and refuses password posts', async () => {
    const only = await gatehouseWithUpstream({ passwords: false, createUsers: true });
    try {
      const flow = new FlowBrowser(only.server.base);
      const reg = await fetch(`${only.server.base}/oauth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_name: 'c', redirect_uris: [callback.url] }) });
      const { client_id } = (await reg.json()) as { client_id: string };
      const q = new URLSearchParams({ response_type: 'code', client_id, redirect_uri: callback.url, code_challenge: pkce().challenge, code_challenge_method: 'S256' });
      const page = await flow.follow(await flow.request(`/oauth/authorize?${q}`));
      expect(page.body).toContain('Continue with Acme SSO');
      expect(page.body).not.toContain('type="password"');
      const uid = /\/oauth\/interaction\/([^/"]+)\/upstream/.exec(page.body)?.[1] as string;
      const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)?.[1] as string;
      const posted = await flow.postForm(`/oauth/interaction/${uid}/login`, { csrf, email: 'alice@example.com', password: 'correct horse battery staple' });
      expect(posted.status).toBe(400);
      expect(actionOf(await posted.text())).toContain('/upstream');
    } finally {
      await Promise.all([only.server.close(), only.idp.close()]);
    }
  });

  it('B-AUTH-11: with createUsers, a first upstream sign-in creates the account (it still needs an organization to connect)', async () => {
    const open = await gatehouseWithUpstream({ passwords: false, createUsers: true });
    try {
      open.idp.next = { sub: 'okta-new', email: 'newcomer@example.com', email_verified: true, name: 'New Comer' };
      const { page } = await startConnection(open.server);
      await Promise.all([page.waitForURL(/\/oauth\/interaction\//), page.getByRole('button', { name: 'Continue with Acme SSO' }).click()]);
      await page.getByText('You are not a member of any organization yet').waitFor();
      await page.close();
      const created = await open.server.gatehouse.auth.directory.findUserByEmail('newcomer@example.com');
      expect(created).toMatchObject({ name: 'New Comer', password_hash: null });
    } finally {
      await Promise.all([open.server.close(), open.idp.close()]);
    }
  });

  it('B-AUTH-11: a server whose upstream provider is down still starts, and sign-in says the provider cannot be reached', async () => {
    const port = await freePort();
    const deadIssuer = `http://localhost:${await freePort()}`;
    const down = await startOAuthServer(
      { upstream: { name: 'Acme SSO', issuer: deadIssuer, clientId: 'gatehouse', createUsers: false, allowInsecureIssuer: true } },
      { port, publicUrl: `http://localhost:${port}` },
    );
    try {
      expect(down.logs.some((l) => l.msg === 'upstream sign-in provider unreachable; retrying at the next sign-in')).toBe(true);
      const { page } = await startConnection(down);
      await page.getByRole('button', { name: 'Continue with Acme SSO' }).click();
      await page.getByText('Acme SSO cannot be reached right now').waitFor();
      await page.close();
    } finally {
      await down.close();
    }
  });
});
