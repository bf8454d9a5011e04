import { createServer, type Server } from 'node:https';
import { UnauthorizedError } from '@modelcontextprotocol/client';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, signInAndConsent } from '../helpers/browser.js';
import { callbackServer, newClient, StreamableHTTPClientTransport, TestOAuthProvider } from '../helpers/mcp-oauth-client.js';
import { pkce } from '../helpers/oauth-flow.js';
import { PASSWORD, startOAuthServer, type OAuthTestServer } from '../helpers/oauth-server.js';
import { selfSignedCert } from '../helpers/tls.js';

const tls = selfSignedCert();
let browser: Browser;
let callback: Awaited<ReturnType<typeof callbackServer>>;
let documents: Server;
let docBase: string;
const served: string[] = [];
/** The documents the client's web origin publishes, by path. */
const published = new Map<string, Record<string, unknown>>();

beforeAll(async () => {
  [browser, callback] = await Promise.all([launchBrowser(), callbackServer()]);
  documents = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    served.push(req.url ?? '');
    if (req.url === '/moved.json') {
      res.writeHead(302, { location: '/oauth/client.json' });
      return void res.end();
    }
    const doc = published.get(req.url ?? '');
    res.writeHead(doc === undefined ? 404 : 200, { 'content-type': 'application/json', 'cache-control': 'max-age=300' });
    res.end(JSON.stringify(doc ?? { error: 'not found' }));
  });
  await new Promise<void>((resolve) => documents.listen(0, '127.0.0.1', resolve));
  docBase = `https://localhost:${(documents.address() as { port: number }).port}`;
});
afterAll(async () => {
  await Promise.all([browser.close(), callback.close(), new Promise((r) => documents.close(r))]);
});

function publish(path: string, over: Record<string, unknown> = {}): string {
  const clientId = `${docBase}${path}`;
  published.set(path, { client_id: clientId, client_name: 'Metadata Document Client', client_uri: docBase, redirect_uris: [callback.url], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none', ...over });
  return clientId;
}

function authorizeUrl(server: OAuthTestServer, clientId: string): string {
  return `${server.base}/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: callback.url, code_challenge: pkce().challenge, code_challenge_method: 'S256', state: 's', resource: server.mcpUrl })}`;
}

describe('Client ID Metadata Documents', () => {
  let server: OAuthTestServer;
  beforeAll(async () => {
    // Tests only: the document lives on loopback, behind a certificate we trust explicitly.
    server = await startOAuthServer({ clientMetadataDocuments: { enabled: true, allowPrivateNetwork: true, tlsCa: tls.cert } });
  });
  afterAll(() => server.close());

  it('B-AUTH-03: the official client registers by its metadata document URL (CIMD), signs in in a browser and calls a tool', async () => {
    const clientId = publish('/oauth/client.json');
    const provider = new TestOAuthProvider(callback.url, { clientMetadataUrl: clientId });
    const url = new URL(server.mcpUrl);
    const first = new StreamableHTTPClientTransport(url, { authProvider: provider });
    await expect(newClient().connect(first)).rejects.toBeInstanceOf(UnauthorizedError);
    expect(provider.pendingUrl?.searchParams.get('client_id')).toBe(clientId);

    const page = await browser.newPage();
    const returned = callback.next();
    await signInAndConsent(page, String(provider.pendingUrl), { email: 'bob@example.com', password: PASSWORD, shots: 'oauth-cimd' });
    const params = await returned;
    await page.close();
    await first.finishAuth(params);

    const client = newClient();
    await client.connect(new StreamableHTTPClientTransport(url, { authProvider: provider }));
    const result = await client.callTool({ name: 'whoami_probe', arguments: {} });
    expect(result.structuredContent).toMatchObject({ user: server.users.bob, organization: server.orgs.acme, role: 'member' });
    expect(served).toContain('/oauth/client.json');
    // No registration row: the document is the registration.
    const rows = await server.gatehouse.database.db.selectFrom('oauth_clients').select('client_id').execute();
    expect(rows.map((r) => r.client_id)).not.toContain(clientId);
    await client.close();
  });

  it('B-AUTH-03: a document whose redirect URIs break the rules is refused', async () => {
    const clientId = publish('/bad-redirect.json', { redirect_uris: ['http://app.example.com/cb'] });
    const res = await fetch(authorizeUrl(server, clientId), { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
  });

  it('B-AUTH-03: a document that names another client_id is refused', async () => {
    const clientId = publish('/impostor.json', { client_id: 'https://trusted.example/client.json' });
    const res = await fetch(authorizeUrl(server, clientId), { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
  });

  it('B-AUTH-03: a redirecting or oversized document is refused', async () => {
    const moved = `${docBase}/moved.json`;
    expect((await fetch(authorizeUrl(server, moved), { redirect: 'manual' })).status).toBe(400);
    expect(served).toContain('/moved.json');
    const huge = publish('/huge.json', { client_name: 'x'.repeat(6 * 1024) });
    expect((await fetch(authorizeUrl(server, huge), { redirect: 'manual' })).status).toBe(400);
  });

  it('B-AUTH-03: a fetched document is cached, not fetched on every authorization', async () => {
    const clientId = publish('/cached.json');
    for (let i = 0; i < 3; i++) expect((await fetch(authorizeUrl(server, clientId), { redirect: 'manual' })).status).toBe(303);
    expect(served.filter((p) => p === '/cached.json')).toHaveLength(1);
  });

  it('B-AUTH-03: a client_id URL over plain http is not fetched', async () => {
    const before = served.length;
    const res = await fetch(authorizeUrl(server, `http://localhost:${new URL(docBase).port}/oauth/client.json`), { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(served.length).toBe(before);
  });
});

describe('Client ID Metadata Documents with production settings', () => {
  it.each([
    ['a name resolving to loopback', () => publish('/private.json')],
    ['a loopback IP literal', () => publish('/private-ip.json').replace('localhost', '127.0.0.1')],
  ])('B-AUTH-03: a document at %s is never fetched (SSRF), even with its certificate trusted', async (_name, clientIdOf) => {
    // The CA is trusted, so only the address rule can stop this fetch.
    const server = await startOAuthServer({ clientMetadataDocuments: { enabled: true, allowPrivateNetwork: false, tlsCa: tls.cert } });
    try {
      const clientId = clientIdOf();
      const before = served.length;
      const res = await fetch(authorizeUrl(server, clientId), { redirect: 'manual' });
      expect(res.status).toBe(400);
      expect(res.headers.get('location')).toBeNull();
      expect(await res.text()).toContain('Sign-in could not continue');
      expect(served.length).toBe(before);
      expect(server.logs.find((l) => l.event === 'authorization.error')).toMatchObject({ cause: expect.stringMatching(/special-use address/) });
    } finally {
      await server.close();
    }
  });
});
