import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { GatehouseOptions } from '../../src/index.js';
import { authorize, tokenRequest } from '../helpers/oauth-flow.js';
import { freePort, PASSWORD, startOAuthServer, type OAuthTestServer } from '../helpers/oauth-server.js';
import { createTestDatabase } from '../helpers/postgres.js';

const REDIRECT = 'http://127.0.0.1:9/callback';
const dir = mkdtempSync(join(tmpdir(), 'gatehouse-oauth-'));
const pg = await createTestDatabase();
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await pg?.drop();
});

const stores: [string, GatehouseOptions['store'] | undefined][] = [
  ['SQLite', { kind: 'sqlite', file: join(dir, 'gatehouse.sqlite') }],
  ['PostgreSQL', pg === undefined ? undefined : { kind: 'postgres', url: pg.url }],
];

async function call(target: OAuthTestServer, token: string): Promise<number> {
  const res = await fetch(target.mcpUrl, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
  });
  return res.status;
}

describe.each(stores)('the authorization server on %s', (name, store) => {
  it.skipIf(store === undefined)(`B-AUTH-06/09: a restart loses no client, grant, session or signing key (${name})`, async () => {
    const port = await freePort();
    const options = { store: store, secret: randomBytes(32).toString('base64url'), port, publicUrl: `http://localhost:${port}` };
    const first = await startOAuthServer({}, options);
    const a = await authorize(first.base, { email: 'alice@example.com', password: PASSWORD, redirectUri: REDIRECT, organization: first.orgs.globex });
    const t = (await tokenRequest(first.base, { grant_type: 'authorization_code', code: a.code, client_id: a.clientId, code_verifier: a.verifier, redirect_uri: REDIRECT })).body;
    const revokedSession = await authorize(first.base, { email: 'bob@example.com', password: PASSWORD, redirectUri: REDIRECT, clientId: a.clientId });
    const bob = (await tokenRequest(first.base, { grant_type: 'authorization_code', code: revokedSession.code, client_id: a.clientId, code_verifier: revokedSession.verifier, redirect_uri: REDIRECT })).body;
    const bobSessions = (await (await fetch(`${first.base}/api/v1/me/mcp-sessions`, { headers: { authorization: `Bearer ${bob.access_token as string}` } })).json()) as { sessions: { id: string }[] };
    await fetch(`${first.base}/api/v1/me/mcp-sessions/${bobSessions.sessions[0]?.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${bob.access_token as string}` } });
    await first.close();
    // Let the HTTP client notice its pooled keep-alive sockets were closed with the first server.
    await new Promise((r) => setTimeout(r, 100));

    const second = await startOAuthServer({}, options, false);
    try {
      // The access token verifies against the persisted signing key; the revoked session stays revoked.
      expect(await call(second, t.access_token as string)).toBe(200);
      expect(await call(second, bob.access_token as string)).toBe(401);
      // The refresh token (and its grant, with the organization chosen) survived.
      const refreshed = await tokenRequest(second.base, { grant_type: 'refresh_token', refresh_token: t.refresh_token as string, client_id: a.clientId });
      expect(refreshed.status).toBe(200);
      expect(JSON.parse(Buffer.from((refreshed.body.access_token as string).split('.')[1] as string, 'base64url').toString())).toMatchObject({ org_id: second.orgs.globex, role: 'viewer' });
      // The registered client is still known: a new sign-in with it works.
      const again = await authorize(second.base, { email: 'alice@example.com', password: PASSWORD, redirectUri: REDIRECT, clientId: a.clientId });
      expect(again.code).toBeTypeOf('string');
      const sessions = (await (await fetch(`${second.base}/api/v1/me/mcp-sessions`, { headers: { authorization: `Bearer ${refreshed.body.access_token as string}` } })).json()) as { sessions: { organization_id: string; current: boolean }[] };
      // The sign-in from before the restart (current, in Globex) and the one just made.
      expect(sessions.sessions).toHaveLength(2);
      expect(sessions.sessions.find((x) => x.current)).toMatchObject({ organization_id: second.orgs.globex });
    } finally {
      await second.close();
    }
  });
});
