import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { decodeJwt } from 'jose';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineTool } from '../../src/index.js';
import { BUILTIN_TOOL_NAMES } from '../../src/tenancy/builtin-tools.js';
import { FlowBrowser } from '../helpers/oauth-flow.js';
import { PASSWORD, startOAuthServer, whoamiTool, type OAuthTestServer } from '../helpers/oauth-server.js';
import { callTool, signIn, type Tokens } from '../helpers/sign-in.js';

const echoOrg = (name: string, extra: { scope?: string; minRole?: string }) =>
  defineTool({
    name,
    description: `Probe tool ${name}.`,
    ...extra,
    input: z.object({ organization_id: z.string().optional() }),
    handler: (_input, ctx) => ({ organization: ctx.organization?.id ?? null, role: ctx.organization?.role ?? null }),
  });

const TOOLS = [
  whoamiTool,
  echoOrg('read_reports', { scope: 'mcp:read' }),
  echoOrg('edit_campaign', { scope: 'mcp:write' }),
  echoOrg('manage_team', { scope: 'mcp:admin', minRole: 'admin' }),
  echoOrg('update_organization', { scope: 'mcp:admin', minRole: 'owner' }),
];

let server: OAuthTestServer;
const tokens: Record<'owner' | 'admin' | 'member' | 'viewer', Tokens> = {} as never;

beforeAll(async () => {
  server = await startOAuthServer({ registrationsPerHour: 1000 }, { tools: TOOLS });
  const d = server.gatehouse.auth.directory;
  for (const role of ['admin', 'viewer'] as const) {
    const user = await d.createUser({ email: `${role}@example.com`, password: PASSWORD });
    await d.addMember(user.id, server.orgs.acme, role);
  }
  // alice owns Acme (and is a viewer of Globex); bob is a member of Acme.
  tokens.owner = await signIn(server, 'alice@example.com', { organization: server.orgs.acme });
  tokens.admin = await signIn(server, 'admin@example.com');
  tokens.member = await signIn(server, 'bob@example.com');
  tokens.viewer = await signIn(server, 'viewer@example.com');
}, 60_000);
afterAll(() => server.close());

describe('roles, scopes and tool visibility (pinned tenancy)', () => {
  it('B-TEN-01: each role gets exactly its scopes at issuance', () => {
    expect(decodeJwt(tokens.owner.access_token)).toMatchObject({ role: 'owner', scope: 'mcp:read mcp:write mcp:admin mcp:read_pii', org_id: server.orgs.acme });
    expect(decodeJwt(tokens.admin.access_token)).toMatchObject({ role: 'admin', scope: 'mcp:read mcp:write mcp:admin mcp:read_pii' });
    expect(decodeJwt(tokens.member.access_token)).toMatchObject({ role: 'member', scope: 'mcp:read mcp:write' });
    expect(decodeJwt(tokens.viewer.access_token)).toMatchObject({ role: 'viewer', scope: 'mcp:read' });
  });

  it('B-TEN-02: a viewer, a member, an admin and an owner each see exactly their tools from the official client', async () => {
    const expected = {
      owner: ['whoami_probe', 'read_reports', 'edit_campaign', 'manage_team', 'update_organization'],
      admin: ['whoami_probe', 'read_reports', 'edit_campaign', 'manage_team'],
      member: ['whoami_probe', 'read_reports', 'edit_campaign'],
      viewer: ['whoami_probe', 'read_reports'],
    };
    for (const role of ['owner', 'admin', 'member', 'viewer'] as const) {
      const client = new Client({ name: `as-${role}`, version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(server.mcpUrl), { requestInit: { headers: { authorization: `Bearer ${tokens[role].access_token}` } } }));
      try {
        const { tools } = await client.listTools();
        expect(tools.map((t) => t.name), role).toEqual([...expected[role], ...BUILTIN_TOOL_NAMES]);
      } finally {
        await client.close();
      }
    }
  });

  it('B-TEN-02: the 2026-07-28 tools/list result is marked private to the caller', async () => {
    const res = await fetch(server.mcpUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.viewer.access_token}`, 'content-type': 'application/json', accept: 'application/json', 'mcp-protocol-version': '2026-07-28', 'mcp-method': 'tools/list' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list', params: { _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientInfo': { name: 't', version: '1' }, 'io.modelcontextprotocol/clientCapabilities': {} } } }),
    });
    const body = (await res.json()) as { result: Record<string, unknown> };
    expect(JSON.stringify(body.result)).toContain('"private"');
    expect((body.result.tools as { name: string }[]).map((t) => t.name)).not.toContain('edit_campaign');
  });

  it('B-TEN-02: calling a hidden tool anyway is insufficient_scope naming the scope, before the handler runs', async () => {
    const r = await callTool(server, tokens.viewer.access_token, 'edit_campaign');
    expect(r.status).toBe(200);
    expect(r.isError).toBe(true);
    expect(r.out).toMatchObject({ code: 'insufficient_scope', required_scope: 'mcp:write', tool: 'edit_campaign', retryable: false });
    expect(r.out.message).toContain('mcp:write');
  });

  it('B-TEN-03: a role gate on top of the scope answers forbidden: an admin has mcp:admin but update_organization is owner-only', async () => {
    const r = await callTool(server, tokens.admin.access_token, 'update_organization');
    expect(r.out).toMatchObject({ code: 'forbidden', required_role: 'owner', role: 'admin' });
    expect((await callTool(server, tokens.admin.access_token, 'manage_team')).out).toEqual({ organization: server.orgs.acme, role: 'admin' });
    expect((await callTool(server, tokens.owner.access_token, 'update_organization')).out).toEqual({ organization: server.orgs.acme, role: 'owner' });
    expect((await callTool(server, tokens.member.access_token, 'manage_team')).out).toMatchObject({ code: 'insufficient_scope', required_scope: 'mcp:admin' });
  });

  it('B-TEN-04: a token pinned to Acme refuses another organization by id or slug with org_mismatch, even though alice belongs to both', async () => {
    for (const other of [server.orgs.globex, 'globex']) {
      const r = await callTool(server, tokens.owner.access_token, 'read_reports', { organization_id: other });
      expect(r.out).toMatchObject({ code: 'org_mismatch', token_organization: 'acme', requested_organization: other });
    }
    for (const own of [server.orgs.acme, 'acme']) expect((await callTool(server, tokens.owner.access_token, 'read_reports', { organization_id: own })).out).toMatchObject({ organization: server.orgs.acme });
  });

  it('B-TEN-04: the REST API under /api/v1/organizations/:org enforces the same pin centrally', async () => {
    const get = (path: string, token = tokens.owner.access_token) => fetch(`${server.base}/api/v1/organizations/${path}`, { headers: { authorization: `Bearer ${token}` } });
    const own = await get('acme');
    expect(own.status).toBe(200);
    expect(await own.json()).toMatchObject({ id: server.orgs.acme, slug: 'acme', role: 'owner' });
    for (const path of ['globex', server.orgs.globex, 'globex/members']) {
      const r = await get(path);
      expect(r.status, path).toBe(403);
      expect(await r.json()).toMatchObject({ code: 'org_mismatch', token_organization: 'acme' });
    }
    const members = await get('acme/members');
    expect(((await members.json()) as { members: { email: string; role: string }[] }).members.map((m) => m.role).sort()).toEqual(['admin', 'member', 'owner', 'viewer']);
    const viewer = await get('acme/members', tokens.viewer.access_token);
    expect(viewer.status).toBe(403);
    expect(await viewer.json()).toMatchObject({ code: 'forbidden' });
    expect((await get('acme')).headers.get('cache-control')).toBe('no-store');
    expect((await fetch(`${server.base}/api/v1/organizations/acme`)).status).toBe(401);
  });

  it('B-TEN-05: list_organizations lists the user\'s organizations with role and the current one', async () => {
    const r = await callTool(server, tokens.owner.access_token, 'list_organizations');
    expect(r.out).toEqual({
      organizations: [
        { id: server.orgs.acme, slug: 'acme', name: 'Acme Outfitters', role: 'owner', plan: null, current: true },
        { id: server.orgs.globex, slug: 'globex', name: 'Globex Corporation', role: 'viewer', plan: null, current: false },
      ],
      tenancy: 'pinned',
    });
  });

  it('B-TEN-05: switch_organization never re-issues silently: reauth_required with a link that makes the next consent select the target', async () => {
    const r = await callTool(server, tokens.owner.access_token, 'switch_organization', { organization: 'globex' });
    expect(r.out).toMatchObject({ code: 'reauth_required', organization: { id: server.orgs.globex, slug: 'globex' } });
    const link = new URL(r.out.authorization_url as string);
    expect(link.origin).toBe(server.base);
    // The old token still acts in Acme.
    expect((await callTool(server, tokens.owner.access_token, 'read_reports')).out).toMatchObject({ organization: server.orgs.acme });
    expect((await callTool(server, tokens.owner.access_token, 'switch_organization', { organization: 'acme' })).out).toMatchObject({ already_current: true });
    expect((await callTool(server, tokens.owner.access_token, 'switch_organization', { organization: 'initech' })).out).toMatchObject({ code: 'not_found' });

    const browser = new FlowBrowser(server.base);
    const page = await browser.request(link.href);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('Switch to Globex Corporation');
    let consent = '';
    const switched = await signIn(server, 'alice@example.com', { browser, onConsent: (html) => (consent = html) });
    expect(/name="organization" value="([^"]+)" checked/.exec(consent)?.[1]).toBe(server.orgs.globex);
    expect(decodeJwt(switched.access_token)).toMatchObject({ org_id: server.orgs.globex, role: 'viewer' });

    const tampered = await new FlowBrowser(server.base).request(`${link.pathname}?ticket=${link.searchParams.get('ticket')?.slice(0, -2)}xx`);
    expect(tampered.status).toBe(400);
  });

  it('B-TEN-05: an API key cannot be switched either: reauth_required points at creating a key for the target', async () => {
    const { key } = await server.gatehouse.auth.apiKeys.create({ userId: server.users.alice, organizationId: server.orgs.acme, name: 'k', scopes: ['mcp:read'] });
    const r = await callTool(server, key, 'switch_organization', { organization: 'globex' });
    expect(r.out).toMatchObject({ code: 'reauth_required', authorization_url: `${server.base}/dashboard/api-keys`, organization: { slug: 'globex' } });
  });

  it('B-TEN-08: whoami reports user, organization, role, plan, the scopes actually in the token and its expiry', async () => {
    const r = await callTool(server, tokens.member.access_token, 'whoami');
    const exp = decodeJwt(tokens.member.access_token).exp as number;
    expect(r.out).toEqual({
      user: { id: server.users.bob, email: 'bob@example.com', name: 'Bob' },
      organization: { id: server.orgs.acme, slug: 'acme', name: 'Acme Outfitters' },
      role: 'member',
      plan: null,
      scopes: ['mcp:read', 'mcp:write'],
      credential: { kind: 'user', client_id: tokens.member.clientId, expires_at: new Date(exp * 1000).toISOString() },
      tenancy: 'pinned',
    });
  });

  it('B-TEN-08: get_capabilities says which tools this token may call, which not and why', async () => {
    const r = await callTool(server, tokens.member.access_token, 'get_capabilities');
    const byName = Object.fromEntries((r.out.tools as { name: string }[]).map((t) => [t.name, t]));
    expect(byName.read_reports).toMatchObject({ allowed: true, required_scope: 'mcp:read', reason: null });
    expect(byName.manage_team).toMatchObject({ allowed: false, required_scope: 'mcp:admin', min_role: 'admin', reason: { code: 'insufficient_scope' } });
    expect(byName.whoami).toMatchObject({ allowed: true });
    const admin = await callTool(server, tokens.admin.access_token, 'get_capabilities');
    expect((admin.out.tools as { name: string; reason: unknown }[]).find((t) => t.name === 'update_organization')).toMatchObject({ allowed: false, reason: { code: 'forbidden' } });
  });
});
