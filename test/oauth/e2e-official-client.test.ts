import { UnauthorizedError } from '@modelcontextprotocol/client';
import { decodeJwt } from 'jose';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, signInAndConsent } from '../helpers/browser.js';
import { callbackServer, newClient, StreamableHTTPClientTransport, TestOAuthProvider } from '../helpers/mcp-oauth-client.js';
import { PASSWORD, startOAuthServer, type OAuthTestServer } from '../helpers/oauth-server.js';

let server: OAuthTestServer;
let browser: Browser;
let callback: Awaited<ReturnType<typeof callbackServer>>;

beforeAll(async () => {
  [server, browser, callback] = await Promise.all([startOAuthServer(), launchBrowser(), callbackServer()]);
});
afterAll(async () => {
  await Promise.all([server.close(), browser.close(), callback.close()]);
});

/** The whole connection as an MCP client does it: discovery, registration, browser sign-in and consent, token. */
async function connectThroughBrowser(provider: TestOAuthProvider, user: { email: string; organization?: string; shots?: string }) {
  const url = new URL(server.mcpUrl);
  const first = new StreamableHTTPClientTransport(url, { authProvider: provider });
  await expect(newClient().connect(first)).rejects.toBeInstanceOf(UnauthorizedError);
  const page = await browser.newPage();
  const returned = callback.next();
  await signInAndConsent(page, String(provider.pendingUrl), { ...user, password: PASSWORD });
  const params = await returned;
  await page.close();
  expect(params.get('state')).toBe(provider.lastState);
  expect(params.get('iss')).toBe(server.base);
  await first.finishAuth(params);
  const client = newClient();
  await client.connect(new StreamableHTTPClientTransport(url, { authProvider: provider }));
  return client;
}

describe('the official MCP client against the built-in authorization server', () => {
  it('B-AUTH-01/02/03/04/06: discovers, registers (DCR), signs in with PKCE in a browser, and calls a tool with a resource-bound token', async () => {
    const provider = new TestOAuthProvider(callback.url);
    const client = await connectThroughBrowser(provider, { email: 'alice@example.com', organization: 'Globex', shots: 'oauth-dcr' });
    expect(provider.client?.client_id).toMatch(/^mcp_/);
    const result = await client.callTool({ name: 'whoami_probe', arguments: {} });
    expect(result.structuredContent).toMatchObject({ user: server.users.alice, organization: server.orgs.globex, role: 'viewer', scopes: ['mcp:read'] });
    const claims = decodeJwt(provider.stored?.access_token as string);
    expect(claims).toMatchObject({ aud: server.mcpUrl, iss: server.base, org_id: server.orgs.globex, scope: 'mcp:read', sub: server.users.alice });
    expect((claims.exp as number) - (claims.iat as number)).toBe(300);
    expect(provider.stored?.refresh_token).toBeTypeOf('string');
    await client.close();
  });

  it('B-AUTH-06: a refresh after the access token is refused rotates the refresh token and keeps working', async () => {
    const provider = new TestOAuthProvider(callback.url);
    const client = await connectThroughBrowser(provider, { email: 'alice@example.com', organization: 'Acme' });
    const before = provider.stored!;
    // The client refreshes when the server says 401: make its access token unusable.
    provider.saveTokens({ ...before, access_token: 'garbage' });
    const result = await client.callTool({ name: 'whoami_probe', arguments: {} });
    expect(result.structuredContent).toMatchObject({ organization: server.orgs.acme, role: 'owner', scopes: ['mcp:admin', 'mcp:read', 'mcp:read_pii', 'mcp:write'] });
    expect(provider.stored?.refresh_token).not.toBe(before.refresh_token);
    await client.close();
  });

  it('B-AUTH-09: revoking every session from the API ends the client connection: its refresh fails and it must sign in again', async () => {
    const provider = new TestOAuthProvider(callback.url);
    const client = await connectThroughBrowser(provider, { email: 'bob@example.com' });
    const listed = await fetch(`${server.base}/api/v1/me/mcp-sessions`, { headers: { authorization: `Bearer ${provider.stored!.access_token}` } });
    const { sessions } = (await listed.json()) as { sessions: { client_name: string; organization_id: string; current: boolean }[] };
    expect(sessions).toEqual([expect.objectContaining({ client_name: 'Gatehouse test client', organization_id: server.orgs.acme, current: true })]);
    const revoke = await fetch(`${server.base}/api/v1/me/mcp-sessions?confirm=true`, { method: 'DELETE', headers: { authorization: `Bearer ${provider.stored!.access_token}` } });
    expect(await revoke.json()).toEqual({ revoked: 1 });
    await expect(client.callTool({ name: 'whoami_probe', arguments: {} })).rejects.toBeInstanceOf(UnauthorizedError);
    expect(provider.pendingUrl?.searchParams.get('client_id')).toBe(provider.client?.client_id);
  });

  it('B-AUTH-04: Deny sends the client back with access_denied', async () => {
    const provider = new TestOAuthProvider(callback.url);
    const first = new StreamableHTTPClientTransport(new URL(server.mcpUrl), { authProvider: provider });
    await expect(newClient().connect(first)).rejects.toBeInstanceOf(UnauthorizedError);
    const page = await browser.newPage();
    const returned = callback.next();
    await signInAndConsent(page, String(provider.pendingUrl), { email: 'bob@example.com', password: PASSWORD, decision: 'deny' });
    const params = await returned;
    await page.close();
    expect(params.get('error')).toBe('access_denied');
    expect(params.get('code')).toBeNull();
  });
});
