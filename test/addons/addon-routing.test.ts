/**
 * B-POL-07 through a real listening Gatehouse (built-in OAuth server, API
 * keys) and real `ws` add-on connections.
 */
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import type { WebSocket } from 'ws';
import { z } from 'zod';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { defineAddonTool } from '../../src/index.js';
import { startOAuthServer, whoamiTool, type OAuthTestServer } from '../helpers/oauth-server.js';
import { callTool } from '../helpers/sign-in.js';
import { closeOf, connectAddon, eventually, openSocket, refusedUpgrade, type Received, type TestAddon } from './addon-client.js';

const TOOLS = [
  whoamiTool,
  defineAddonTool({ name: 'device_probe', addon: 'desktop', description: 'Echoes its text from the desktop add-on.', input: z.object({ text: z.string() }) }),
  defineAddonTool({ name: 'other_probe', addon: 'desktop', description: 'Another tool of the desktop add-on.', input: z.object({}) }),
  defineAddonTool({ name: 'slow_probe', addon: 'slow', description: 'A tool of an add-on with a short time limit.', input: z.object({}) }),
];
const POLICY = {
  addons: {
    desktop: { title: 'Mailroom Desktop', callTimeoutMs: 2_000 },
    slow: { title: 'Slow Add-on', callTimeoutMs: 300, actionUrl: 'https://example.com/get-slow' },
  },
};

let server: OAuthTestServer;
const keys = { aliceAcme: '', aliceGlobex: '', aliceAnywhere: '', bobAcme: '' };
const opened: TestAddon[] = [];

async function key(userId: string, organizationId: string | null): Promise<{ key: string; id: string }> {
  const created = await server.gatehouse.auth.apiKeys.create({ userId, organizationId, name: 'add-on test', scopes: ['mcp:read'] });
  return { key: created.key, id: created.row.id };
}

async function addon(k: string, o: Parameters<typeof connectAddon>[2] = {}): Promise<TestAddon> {
  const a = await connectAddon(server.base, k, o);
  opened.push(a);
  return a;
}

const echo = (call: Received) => ({ echo: call.arguments.text, organization: call.organization_id });

beforeAll(async () => {
  server = await startOAuthServer({}, { tools: TOOLS, policy: POLICY });
  const { alice, bob } = server.users;
  keys.aliceAcme = (await key(alice, server.orgs.acme)).key;
  keys.aliceGlobex = (await key(alice, server.orgs.globex)).key;
  keys.aliceAnywhere = (await key(alice, null)).key;
  keys.bobAcme = (await key(bob, server.orgs.acme)).key;
}, 60_000);
afterEach(async () => {
  await Promise.all(opened.splice(0).map((a) => a.close()));
  await eventually(() => server.gatehouse.addons.connections().length === 0);
});
afterAll(() => server.close());

describe('live add-ons (B-POL-07)', () => {
  it('B-POL-07 with no add-on connected, the call answers addon_disconnected as an isError tool result naming the add-on to start', async () => {
    const r = await callTool(server, keys.aliceAcme, 'device_probe', { text: 'hi' });
    expect(r.status).toBe(200);
    expect(r.isError).toBe(true);
    expect(r.out).toMatchObject({
      code: 'addon_disconnected',
      retryable: true,
      addon: 'desktop',
      action_url: `${server.base}/dashboard/settings#addon-desktop`,
    });
    expect(r.out.message).toContain('Start Mailroom Desktop');
    expect(typeof r.out.request_id).toBe('string');
    // An add-on's own actionUrl wins over the settings page.
    const slow = await callTool(server, keys.aliceAcme, 'slow_probe');
    expect(slow.out).toMatchObject({ code: 'addon_disconnected', addon: 'slow', action_url: 'https://example.com/get-slow' });
  });

  it('B-POL-07 a connected add-on serves the call: arguments, request id and organization reach it, and its result reaches the MCP client', async () => {
    const a = await addon(keys.aliceAcme);
    expect(a.welcome).toEqual({ type: 'welcome', addon: 'desktop', tools: ['device_probe', 'other_probe'], heartbeat_ms: 30_000, call_timeout_ms: 2_000 });
    const pending = callTool(server, keys.aliceAcme, 'device_probe', { text: 'hello' });
    const call = await a.next('call');
    expect(call).toMatchObject({ type: 'call', tool: 'device_probe', arguments: { text: 'hello' }, organization_id: server.orgs.acme });
    expect(call.request_id).toMatch(/^[0-9a-f-]{36}$/);
    a.send({ type: 'result', id: call.id, result: { echo: 'hello from the desktop' } });
    const r = await pending;
    expect(r.isError).toBe(false);
    expect(r.out).toEqual({ echo: 'hello from the desktop' });
    expect(server.gatehouse.addons.connections()).toEqual([
      expect.objectContaining({ addon: 'desktop', userId: server.users.alice, organizationId: server.orgs.acme, tools: ['device_probe', 'other_probe'] }),
    ]);
  });

  it('B-POL-07 the official MCP SDK client lists and calls an add-on tool and gets its structured result', async () => {
    await addon(keys.aliceAcme, { serve: echo });
    const client = new Client({ name: 'addon-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(server.mcpUrl), { requestInit: { headers: { authorization: `Bearer ${keys.aliceAcme}` } } }));
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toContain('device_probe');
      const result = await client.callTool({ name: 'device_probe', arguments: { text: 'via sdk' } });
      expect(result.isError ?? false).toBe(false);
      expect(result.structuredContent).toEqual({ echo: 'via sdk', organization: server.orgs.acme });
    } finally {
      await client.close();
    }
  });

  it('B-POL-07 an add-on that does not answer within its callTimeoutMs is sent cancel, and the caller gets timeout', async () => {
    const a = await addon(keys.aliceAcme, { addon: 'slow' });
    const started = Date.now();
    const pending = callTool(server, keys.aliceAcme, 'slow_probe');
    const call = await a.next('call');
    const r = await pending;
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(r.out).toMatchObject({ code: 'timeout', retryable: true, timeout_ms: 300, addon: 'slow' });
    expect(r.out.message).toContain('Slow Add-on');
    expect(await a.next('cancel')).toEqual({ type: 'cancel', id: call.id, reason: 'timeout' });
    // A late answer is dropped, and the connection keeps serving.
    a.send({ type: 'result', id: call.id, result: 'too late' });
    const again = callTool(server, keys.aliceAcme, 'slow_probe');
    const second = await a.next('call');
    a.send({ type: 'result', id: second.id, result: { ok: true } });
    expect((await again).out).toEqual({ ok: true });
  });

  it('B-POL-07 an add-on that disconnects mid-call answers addon_disconnected', async () => {
    const a = await addon(keys.aliceAcme);
    const pending = callTool(server, keys.aliceAcme, 'device_probe', { text: 'x' });
    await a.next('call');
    a.ws.terminate();
    const r = await pending;
    expect(r.isError).toBe(true);
    expect(r.out).toMatchObject({ code: 'addon_disconnected', retryable: true, addon: 'desktop' });
    expect(r.out.message).toContain('disconnected before answering');
  });

  it('B-POL-07 an add-on error answer: an allowed catalogue code reaches the caller, anything else becomes internal_error', async () => {
    const a = await addon(keys.aliceAcme);
    const first = callTool(server, keys.aliceAcme, 'device_probe', { text: 'x' });
    const c1 = await a.next('call');
    a.send({ type: 'error', id: c1.id, code: 'invalid_input', message: 'text must not be x', details: { field: 'text' } });
    expect((await first).out).toMatchObject({ code: 'invalid_input', message: 'text must not be x', field: 'text', addon: 'desktop' });
    const second = callTool(server, keys.aliceAcme, 'device_probe', { text: 'y' });
    const c2 = await a.next('call');
    a.send({ type: 'error', id: c2.id, message: 'C:\\Users\\alice\\secret.txt is locked' });
    const r = await second;
    expect(r.out).toMatchObject({ code: 'internal_error', retryable: true });
    expect(JSON.stringify(r.out)).not.toContain('secret.txt');
  });

  it('B-POL-07 a bad or missing credential is refused at the upgrade with 401 and the catalogue error body; Host and Origin are checked', async () => {
    const bad = await refusedUpgrade(server.base, { authorization: 'Bearer gh_not-a-real-key' });
    expect(bad.status).toBe(401);
    expect(bad.headers['content-type']).toBe('application/json');
    expect(bad.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(bad.body).toMatchObject({ code: 'invalid_api_key', retryable: false });
    const expired = await refusedUpgrade(server.base, { authorization: 'Bearer not-a-jwt' });
    expect(expired.status).toBe(401);
    expect(expired.body.code).toBe('invalid_token');
    const none = await refusedUpgrade(server.base, {});
    expect(none.status).toBe(401);
    expect(none.body.code).toBe('auth_required');
    const host = await refusedUpgrade(server.base, { authorization: `Bearer ${keys.aliceAcme}`, host: 'attacker.example' });
    expect(host.status).toBe(403);
    expect(host.body.code).toBe('invalid_host');
    const origin = await refusedUpgrade(server.base, { authorization: `Bearer ${keys.aliceAcme}`, origin: 'https://evil.example' });
    expect(origin.status).toBe(403);
    expect(origin.body.code).toBe('forbidden_origin');
    const elsewhere = await refusedUpgrade(server.base, { authorization: `Bearer ${keys.aliceAcme}` }, '/mcp');
    expect(elsewhere.status).toBe(404);
  });

  it('B-POL-07 an undeclared add-on name, a malformed message, a call answer before hello and a binary frame close the connection with a reason', async () => {
    const cases: [send: (ws: WebSocket) => void, code: number, reason: string][] = [
      [(ws) => ws.send(JSON.stringify({ type: 'hello', addon: 'nope' })), 4404, 'unknown add-on "nope": this server declares desktop, slow'],
      [(ws) => ws.send('not json'), 4400, 'malformed message: not JSON'],
      [(ws) => ws.send(JSON.stringify({ type: 'result', id: 'c1', result: 1 })), 4400, 'malformed message: expected hello first, got result'],
      [(ws) => ws.send(JSON.stringify({ type: 'hello' })), 4400, 'malformed message: hello.addon must be the add-on name'],
      [(ws) => ws.send(Buffer.from([1, 2, 3]), { binary: true }), 1003, 'binary messages are not supported: send JSON text'],
    ];
    for (const [send, code, reason] of cases) {
      const ws = await openSocket(server.base, keys.aliceAcme);
      const closed = closeOf(ws);
      send(ws);
      expect(await closed).toEqual({ code, reason });
    }
  });

  it("B-POL-07 user isolation: another user's call never reaches a connected add-on, and a pinned add-on serves only its organization", async () => {
    const alices = await addon(keys.aliceAcme, { serve: echo });
    const bob = await callTool(server, keys.bobAcme, 'device_probe', { text: 'bob here' });
    expect(bob.out).toMatchObject({ code: 'addon_disconnected', addon: 'desktop' });
    expect(alices.received.filter((m) => m.type === 'call')).toEqual([]);
    await alices.close();
    // Alice's add-on signed in to Globex does not serve her calls in Acme; one with an unpinned key does.
    const globex = await addon(keys.aliceGlobex, { serve: echo });
    expect((await callTool(server, keys.aliceAcme, 'device_probe', { text: 'a' })).out.code).toBe('addon_disconnected');
    expect(globex.received.filter((m) => m.type === 'call')).toEqual([]);
    await addon(keys.aliceAnywhere, { serve: echo });
    expect((await callTool(server, keys.aliceAcme, 'device_probe', { text: 'b' })).out).toEqual({ echo: 'b', organization: server.orgs.acme });
    expect((await callTool(server, keys.bobAcme, 'device_probe', { text: 'c' })).out.code).toBe('addon_disconnected');
  });

  it('B-POL-07 the newest connection wins, and an older one takes over when it goes away', async () => {
    await addon(keys.aliceAcme, { serve: () => ({ from: 'older' }) });
    const newer = await addon(keys.aliceAcme, { serve: () => ({ from: 'newer' }) });
    expect((await callTool(server, keys.aliceAcme, 'device_probe', { text: '1' })).out).toEqual({ from: 'newer' });
    await newer.close();
    await eventually(() => server.gatehouse.addons.connections().length === 1);
    expect((await callTool(server, keys.aliceAcme, 'device_probe', { text: '2' })).out).toEqual({ from: 'older' });
  });

  it('B-POL-07 an add-on serving some of its tools: the others answer addon_disconnected saying it does not serve them; unknown names are ignored', async () => {
    const a = await addon(keys.aliceAcme, { tools: ['device_probe', 'future_tool'], serve: echo });
    expect(a.welcome.tools).toEqual(['device_probe']);
    const r = await callTool(server, keys.aliceAcme, 'other_probe');
    expect(r.out).toMatchObject({ code: 'addon_disconnected', addon: 'desktop' });
    expect(r.out.message).toContain('does not serve other_probe');
  });

  it("B-POL-07 revoking the add-on's credential ends its connection at the next heartbeat (4401)", async () => {
    const k = await key(server.users.alice, server.orgs.acme);
    const a = await addon(k.key, { serve: echo });
    await server.gatehouse.addons.heartbeat();
    expect(a.ws.readyState).toBe(a.ws.OPEN);
    await server.gatehouse.auth.apiKeys.revoke(k.id);
    server.gatehouse.auth.apiKeyAuthenticator.forget(k.id);
    await server.gatehouse.addons.heartbeat();
    expect(await a.closed).toEqual({ code: 4401, reason: 'credential refused: invalid_api_key' });
    expect((await callTool(server, keys.aliceAcme, 'device_probe', { text: 'z' })).out.code).toBe('addon_disconnected');
    // Credentials never reach the log: not at the upgrade, not at re-authentication.
    expect(JSON.stringify(server.logs)).not.toContain(k.key);
    expect(server.logs.some((l) => l.msg === 'add-on connected' && l.user === server.users.alice)).toBe(true);
  });

  it('B-POL-07 a connection that stops answering pings is dropped at the next heartbeat', async () => {
    const a = await addon(keys.aliceAcme, { autoPong: false });
    await server.gatehouse.addons.heartbeat();
    expect(server.gatehouse.addons.connections()).toHaveLength(1);
    await server.gatehouse.addons.heartbeat();
    expect((await a.closed).code).toBe(1006);
    expect(server.gatehouse.addons.connections()).toEqual([]);
  });

  it('B-POL-07 disconnect() closes one connection with 4000, which tells the add-on it may reconnect', async () => {
    const a = await addon(keys.aliceAcme);
    const [info] = server.gatehouse.addons.connections();
    expect(server.gatehouse.addons.disconnect(info!.id)).toBe(true);
    expect(await a.closed).toEqual({ code: 4000, reason: 'disconnected by the server' });
    expect(server.gatehouse.addons.disconnect(info!.id)).toBe(false);
  });
});
