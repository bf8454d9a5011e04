import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { AuditQuery, defineTool, type AuditFilter, type AuditRecord, type GatehouseOptions } from '../../src/index.js';
import { actionOf, authorize, csrfOf, FlowBrowser, pkce, tokenRequest } from '../helpers/oauth-flow.js';
import { PASSWORD, startOAuthServer, whoamiTool, type OAuthTestServer } from '../helpers/oauth-server.js';
import { createTestDatabase } from '../helpers/postgres.js';
import { REDIRECT, refresh, signIn } from '../helpers/sign-in.js';

// Argument values a tool call carries; the audit log must never hold them.
const NOTE_BODY = 'quarterly-numbers-7f3a9c';
const CONTACT_EMAIL = 'carol.contact@example.org';

const sendNote = defineTool({
  name: 'send_note',
  description: 'Sends a note to a contact.',
  scope: 'mcp:write',
  input: z.object({ recipient: z.string(), body: z.string() }),
  handler: ({ recipient }) => ({ sent: true, recipient }),
});

const findContact = defineTool({
  name: 'find_contact',
  description: 'Finds a contact by email.',
  input: z.object({ email: z.email() }),
  handler: ({ email }) => ({ found: true, email, name: 'Carol' }),
});

/** `tools/call` with a bearer credential, keeping the response's request id. */
async function callTool(target: OAuthTestServer, bearer: string, name: string, args: Record<string, unknown>) {
  const res = await fetch(target.mcpUrl, {
    method: 'POST',
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } }),
  });
  const body = (await res.json()) as { result?: { isError?: boolean; structuredContent?: { error?: string } } };
  return { status: res.status, requestId: res.headers.get('x-request-id'), isError: body.result?.isError === true, body };
}

/** A sign-in attempt with a wrong password, as a browser makes it. */
async function failedSignIn(base: string, email: string, password: string): Promise<{ status: number; clientId: string }> {
  const reg = await fetch(`${base}/oauth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_name: 'Audit test client', redirect_uris: [REDIRECT] }) });
  const clientId = ((await reg.json()) as { client_id: string }).client_id;
  const browser = new FlowBrowser(base);
  const q = new URLSearchParams({ response_type: 'code', client_id: clientId, redirect_uri: REDIRECT, code_challenge: pkce().challenge, code_challenge_method: 'S256', state: 'st', resource: `${base}/mcp` });
  const page = await browser.follow(await browser.request(`/oauth/authorize?${q}`));
  const res = await browser.postForm(actionOf(page.body), { csrf: csrfOf(page.body), email, password });
  return { status: res.status, clientId };
}

const pg = await createTestDatabase();
afterAll(async () => {
  await pg?.drop();
});

const stores: [string, GatehouseOptions['store'] | undefined][] = [
  ['SQLite', { kind: 'sqlite', file: ':memory:' }],
  ['PostgreSQL', pg === undefined ? undefined : { kind: 'postgres', url: pg.url }],
];

describe.each(stores)('the audit log of a running server on %s', (name, store) => {
  let server: OAuthTestServer;
  /** Every secret and personal value used against this server: none may reach the audit log. */
  const secrets: string[] = [PASSWORD, 'alice@example.com', 'bob@example.com', NOTE_BODY, CONTACT_EMAIL];

  /** Flushes and reads the log until `expectation` holds (some events are recorded just after the response). */
  async function audited(filter: AuditFilter, expectation: (entries: AuditRecord[]) => void): Promise<AuditRecord[]> {
    let entries: AuditRecord[] = [];
    await vi.waitFor(
      async () => {
        await server.gatehouse.audit.flush?.();
        entries = [...(await new AuditQuery(server.gatehouse.database.db).page(filter, { limit: 1000, order: 'oldest' })).entries];
        expectation(entries);
      },
      { timeout: 5000, interval: 50 },
    );
    return entries;
  }

  beforeAll(async () => {
    if (store === undefined) return;
    server = await startOAuthServer({}, { store, secret: randomBytes(32).toString('base64url'), tools: [whoamiTool, sendNote, findContact], audit: { flushMs: 50 } });
  });
  afterAll(async () => {
    await server?.close();
  });

  it.skipIf(store === undefined)(`B-OPS-02: every tool call is audited with user, organization, client, tool, outcome code, duration and the response's request id, refusals included (${name})`, async () => {
    // alice is a viewer of Globex: mcp:read only.
    const tokens = await signIn(server, 'alice@example.com', { organization: server.orgs.globex });
    secrets.push(tokens.access_token, tokens.refresh_token);
    const ok = await callTool(server, tokens.access_token, 'find_contact', { email: CONTACT_EMAIL });
    const denied = await callTool(server, tokens.access_token, 'send_note', { recipient: CONTACT_EMAIL, body: NOTE_BODY });
    const invalid = await callTool(server, tokens.access_token, 'find_contact', { email: NOTE_BODY });
    expect([ok.isError, denied.isError, invalid.isError]).toEqual([false, true, true]);
    for (const call of [ok, denied, invalid]) expect(call.requestId).toMatch(/^[0-9a-f-]{36}$/);

    const entries = await audited({ kind: 'tool_call', userId: server.users.alice }, (e) => expect(e).toHaveLength(3));
    const common = { kind: 'tool_call', userId: server.users.alice, organizationId: server.orgs.globex, clientId: tokens.clientId, credentialId: expect.stringMatching(/^grant:/) };
    expect(entries).toEqual([
      expect.objectContaining({ ...common, tool: 'find_contact', outcome: 'ok', requestId: ok.requestId }),
      expect.objectContaining({ ...common, tool: 'send_note', outcome: 'insufficient_scope', requestId: denied.requestId }),
      expect.objectContaining({ ...common, tool: 'find_contact', outcome: 'invalid_input', requestId: invalid.requestId }),
    ]);
    for (const e of entries) {
      expect(e.durationMs).toBeTypeOf('number');
      expect(e.durationMs).toBeGreaterThanOrEqual(0);
      expect(e.id).toMatch(/^aud_\d{13}/);
    }
  });

  it.skipIf(store === undefined)(`B-OPS-02: password sign-ins and failed sign-ins are audited by user and client, never by the typed email (${name})`, async () => {
    const since = Date.now();
    const wrong = `wrong-${randomBytes(6).toString('hex')}`;
    secrets.push(wrong, 'nobody@example.com');
    const failed = await failedSignIn(server.base, 'bob@example.com', wrong);
    expect(failed.status).toBe(401);
    const unknown = await failedSignIn(server.base, 'nobody@example.com', wrong);
    expect(unknown.status).toBe(401);
    const a = await authorize(server.base, { email: 'bob@example.com', password: PASSWORD, redirectUri: REDIRECT });
    secrets.push(a.code);

    const entries = await audited({ kind: ['sign_in', 'sign_in_failed'], from: since }, (e) => expect(e).toHaveLength(3));
    expect(entries).toEqual([
      expect.objectContaining({ kind: 'sign_in_failed', outcome: 'invalid_credentials', userId: server.users.bob, clientId: failed.clientId, detail: { method: 'password' } }),
      expect.objectContaining({ kind: 'sign_in_failed', outcome: 'invalid_credentials', userId: null, clientId: unknown.clientId }),
      expect.objectContaining({ kind: 'sign_in', outcome: 'ok', userId: server.users.bob, clientId: a.clientId, detail: { method: 'password' } }),
    ]);
  });

  it.skipIf(store === undefined)(`B-OPS-02: token issuance, refresh, refused refresh, revocation and session revocation are audited with the grant as credential (${name})`, async () => {
    const since = Date.now();
    const one = await signIn(server, 'bob@example.com');
    const refreshed = await refresh(server, one);
    expect(refreshed.status).toBe(200);
    secrets.push(one.access_token, one.refresh_token, refreshed.body.access_token as string, refreshed.body.refresh_token as string);
    const revoke = await fetch(`${server.base}/oauth/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: refreshed.body.refresh_token as string, token_type_hint: 'refresh_token', client_id: one.clientId }),
    });
    expect(revoke.status).toBe(200);
    const afterRevoke = await tokenRequest(server.base, { grant_type: 'refresh_token', refresh_token: refreshed.body.refresh_token as string, client_id: one.clientId });
    expect(afterRevoke.body.error).toBe('invalid_grant');

    const two = await signIn(server, 'bob@example.com');
    secrets.push(two.access_token, two.refresh_token);
    const sessions = (await (await fetch(`${server.base}/api/v1/me/mcp-sessions`, { headers: { authorization: `Bearer ${two.access_token}` } })).json()) as { sessions: { id: string; current: boolean }[] };
    const current = sessions.sessions.find((s) => s.current);
    const ended = await fetch(`${server.base}/api/v1/me/mcp-sessions/${current?.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${two.access_token}` } });
    expect(ended.status).toBe(200);

    const kinds = ['token_issued', 'token_refreshed', 'token_revoked', 'session_revoked'] as const;
    const entries = await audited({ kind: [...kinds], from: since }, (e) => expect(e).toHaveLength(6));
    const bob = { userId: server.users.bob, organizationId: server.orgs.acme };
    const grantOne = entries[0]?.credentialId;
    expect(grantOne).toMatch(/^grant:/);
    // The revocation's entry waits for a read of the grant: it may land just after the refused refresh that follows.
    expect(entries).toHaveLength(6);
    expect(entries).toEqual(expect.arrayContaining([
      expect.objectContaining({ kind: 'token_issued', outcome: 'ok', ...bob, clientId: one.clientId, credentialId: grantOne }),
      expect.objectContaining({ kind: 'token_refreshed', outcome: 'ok', ...bob, clientId: one.clientId, credentialId: grantOne }),
      expect.objectContaining({ kind: 'token_revoked', outcome: 'ok', ...bob, clientId: one.clientId, credentialId: grantOne, detail: { via: 'revocation' } }),
      expect.objectContaining({ kind: 'token_refreshed', outcome: 'invalid_grant', clientId: one.clientId }),
      expect.objectContaining({ kind: 'token_issued', outcome: 'ok', ...bob, clientId: two.clientId, credentialId: `grant:${current?.id}` }),
      expect.objectContaining({ kind: 'session_revoked', outcome: 'ok', ...bob, clientId: two.clientId, credentialId: `grant:${current?.id}`, requestId: ended.headers.get('x-request-id') }),
    ]));
  });

  it.skipIf(store === undefined)(`B-OPS-02: API key creation and revocation are audited by key id, and calls with the key name it (${name})`, async () => {
    const keys = server.gatehouse.auth.apiKeys;
    const created = await keys.create({ userId: server.users.bob, organizationId: server.orgs.acme, name: 'Bob laptop bob@example.com', scopes: ['mcp:read', 'mcp:write'], via: 'dashboard' });
    secrets.push(created.key, created.row.secret_hash, created.key.slice(3));
    const call = await callTool(server, created.key, 'send_note', { recipient: CONTACT_EMAIL, body: NOTE_BODY });
    expect(call.isError).toBe(false);
    expect(await keys.revoke(created.row.id)).toBe(true);
    // Revoking again changes nothing, and audits nothing.
    expect(await keys.revoke(created.row.id)).toBe(false);

    const entries = await audited({ userId: server.users.bob, kind: ['key_created', 'key_revoked', 'tool_call'] }, (e) => expect(e.filter((x) => x.credentialId === `key:${created.row.id}`)).toHaveLength(3));
    expect(entries.filter((x) => x.credentialId === `key:${created.row.id}`)).toEqual([
      expect.objectContaining({ kind: 'key_created', outcome: 'ok', organizationId: server.orgs.acme, detail: { scopes: 'mcp:read mcp:write', expires_at: null, via: 'dashboard' } }),
      expect.objectContaining({ kind: 'tool_call', outcome: 'ok', tool: 'send_note', organizationId: server.orgs.acme, clientId: null, requestId: call.requestId }),
      expect.objectContaining({ kind: 'key_revoked', outcome: 'ok', organizationId: server.orgs.acme }),
    ]);
  });

  it.skipIf(store === undefined)(`B-OPS-02: never secrets or PII — after a whole session the audit table holds no password, token, code, key, argument value or email (${name})`, async () => {
    // The session of a user who mistypes, signs in, works, refreshes, makes a key and leaves.
    const typo = `typo-${randomBytes(6).toString('hex')}`;
    secrets.push(typo);
    await failedSignIn(server.base, 'alice@example.com', typo);
    const a = await authorize(server.base, { email: 'alice@example.com', password: PASSWORD, redirectUri: REDIRECT, organization: server.orgs.acme });
    const t = await tokenRequest(server.base, { grant_type: 'authorization_code', code: a.code, client_id: a.clientId, code_verifier: a.verifier, redirect_uri: REDIRECT });
    const access = t.body.access_token as string;
    const refreshToken = t.body.refresh_token as string;
    secrets.push(a.code, a.verifier, access, refreshToken);
    await callTool(server, access, 'send_note', { recipient: CONTACT_EMAIL, body: NOTE_BODY });
    await callTool(server, access, 'find_contact', { email: CONTACT_EMAIL });
    await callTool(server, access, 'find_contact', { email: `not-an-email ${NOTE_BODY}` });
    const r = await tokenRequest(server.base, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: a.clientId });
    secrets.push(r.body.access_token as string, r.body.refresh_token as string);
    const key = await server.gatehouse.auth.apiKeys.create({ userId: server.users.alice, organizationId: server.orgs.acme, name: 'ci', scopes: ['mcp:read'] });
    secrets.push(key.key, key.row.secret_hash);
    await callTool(server, key.key, 'find_contact', { email: CONTACT_EMAIL });
    await server.gatehouse.auth.apiKeys.revoke(key.row.id);
    await fetch(`${server.base}/api/v1/me/mcp-sessions?confirm=true`, { method: 'DELETE', headers: { authorization: `Bearer ${r.body.access_token as string}` } });

    await audited({ userId: server.users.alice, kind: 'session_revoked' }, (e) => expect(e.length).toBeGreaterThan(0));
    const dump = JSON.stringify(await server.gatehouse.database.db.selectFrom('audit_log').selectAll().execute());
    expect(dump.length).toBeGreaterThan(1000);
    for (const secret of secrets) {
      expect(dump, `the audit log holds ${secret.slice(0, 12)}…`).not.toContain(secret);
      // JWTs: neither the claims nor the signature segment.
      for (const part of secret.split('.').filter((p) => p.length >= 20)) expect(dump).not.toContain(part);
    }
    expect(dump).not.toMatch(/@example\.(com|org)/);
    expect(dump).not.toContain('Carol');
  });
});
