import { decodeJwt } from 'jose';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineTool } from '../../src/index.js';
import { startOAuthServer, type OAuthTestServer } from '../helpers/oauth-server.js';
import { callTool, refresh, rpc, signIn, type Tokens } from '../helpers/sign-in.js';

const probe = (name: string, scope: string) =>
  defineTool({
    name,
    description: `Probe ${name}.`,
    scope,
    input: z.object({ note: z.string().optional() }).strict(),
    handler: (_input, ctx) => ({ organization: ctx.organization?.id ?? null, role: ctx.organization?.role ?? null }),
  });

const sendAs = defineTool({
  name: 'send_as',
  description: 'Sends from one profile of the workspace.',
  scope: 'mcp:read',
  profile: { parameter: 'profile_id' },
  input: z.object({ profile_id: z.string() }),
  handler: (input) => ({ profile_id: input.profile_id }),
});

let server: OAuthTestServer;
let alice: Tokens;
let bob: Tokens;

beforeAll(async () => {
  server = await startOAuthServer(
    { registrationsPerHour: 1000 },
    { tenancy: { mode: 'per-call' }, tools: [probe('read_stats', 'mcp:read'), probe('edit_list', 'mcp:write'), sendAs] },
  );
  const d = server.gatehouse.auth.directory;
  await d.createProfile({ organizationId: server.orgs.acme, name: 'Newsletter', id: 'prf_news' });
  await d.createProfile({ organizationId: server.orgs.acme, name: 'Promotions', id: 'prf_promo' });
  await d.createProfile({ organizationId: server.orgs.globex, name: 'Main', id: 'prf_main' });
  alice = await signIn(server, 'alice@example.com'); // owner of Acme, viewer of Globex
  bob = await signIn(server, 'bob@example.com'); // member of Acme only
}, 60_000);
afterAll(() => server.close());

describe('per-call tenancy', () => {
  it('B-TEN-04: a per-call token is a user token: no organization claim, the scopes some role of the user grants', () => {
    const claims = decodeJwt(alice.access_token);
    expect(claims.org_id).toBeUndefined();
    expect(claims.scope).toBe('mcp:read mcp:write mcp:admin mcp:read_pii');
  });

  it('B-TEN-06: tools advertise the workspace argument; the built-in tools need none', async () => {
    const tools = (await rpc(server, alice.access_token, 'tools/list')).body.result.tools as { name: string; inputSchema: { properties?: Record<string, unknown> } }[];
    expect(tools.find((t) => t.name === 'read_stats')?.inputSchema.properties).toHaveProperty('workspace_id');
    expect(tools.find((t) => t.name === 'whoami')?.inputSchema.properties ?? {}).not.toHaveProperty('workspace_id');
  });

  it('B-TEN-06: several workspaces and none given → workspace_required listing them; one given → acts there with that role', async () => {
    const none = await callTool(server, alice.access_token, 'read_stats');
    expect(none.out).toMatchObject({ code: 'workspace_required', parameter: 'workspace_id' });
    expect((none.out.workspaces as { slug: string; role: string }[]).map((w) => [w.slug, w.role])).toEqual([
      ['acme', 'owner'],
      ['globex', 'viewer'],
    ]);
    expect((await callTool(server, alice.access_token, 'read_stats', { workspace_id: 'globex' })).out).toEqual({ organization: server.orgs.globex, role: 'viewer' });
    expect((await callTool(server, alice.access_token, 'read_stats', { workspace_id: server.orgs.acme, note: 'x' })).out).toEqual({ organization: server.orgs.acme, role: 'owner' });
  });

  it('B-TEN-06: exactly one workspace is chosen automatically', async () => {
    expect((await callTool(server, bob.access_token, 'edit_list')).out).toEqual({ organization: server.orgs.acme, role: 'member' });
  });

  it('B-TEN-02: each call acts with the role of its workspace: a viewer there cannot write, even with an owner role elsewhere', async () => {
    const r = await callTool(server, alice.access_token, 'edit_list', { workspace_id: 'globex' });
    expect(r.out).toMatchObject({ code: 'insufficient_scope', required_scope: 'mcp:write' });
    expect(r.out.message).toContain('viewer');
    expect((await callTool(server, alice.access_token, 'edit_list', { workspace_id: 'acme' })).out).toEqual({ organization: server.orgs.acme, role: 'owner' });
  });

  it('B-TEN-07: a workspace the user does not belong to reads as not found', async () => {
    const r = await callTool(server, bob.access_token, 'read_stats', { workspace_id: 'globex' });
    expect(r.out).toMatchObject({ code: 'not_found', resource: 'workspace' });
    expect(JSON.stringify(r.out)).not.toContain('Globex Corporation');
  });

  it('B-TEN-06: profile_required lists the profiles when there are several; the only one is filled in', async () => {
    const several = await callTool(server, alice.access_token, 'send_as', { workspace_id: 'acme' });
    expect(several.out).toMatchObject({
      code: 'profile_required',
      parameter: 'profile_id',
      profiles: [
        { id: 'prf_news', name: 'Newsletter' },
        { id: 'prf_promo', name: 'Promotions' },
      ],
    });
    expect((await callTool(server, alice.access_token, 'send_as', { workspace_id: 'acme', profile_id: 'prf_promo' })).out).toEqual({ profile_id: 'prf_promo' });
    expect((await callTool(server, alice.access_token, 'send_as', { workspace_id: 'globex' })).out).toEqual({ profile_id: 'prf_main' });
  });

  it('B-TEN-05: switch_organization in per-call mode explains that no switch is needed', async () => {
    const r = await callTool(server, alice.access_token, 'switch_organization', { organization: 'globex' });
    expect(r.out).toMatchObject({ organization: { slug: 'globex' }, already_current: false });
    expect(r.out.note).toContain('workspace_id');
  });

  it('B-TEN-01: a role change is felt per call at once and in the token at the next refresh', async () => {
    const d = server.gatehouse.auth.directory;
    await d.setRole(server.users.bob, server.orgs.acme, 'viewer');
    try {
      expect((await callTool(server, bob.access_token, 'edit_list')).out).toMatchObject({ code: 'insufficient_scope' });
      const r = await refresh(server, bob);
      expect(r.status).toBe(200);
      expect(r.body.scope).toBe('mcp:read');
    } finally {
      await d.setRole(server.users.bob, server.orgs.acme, 'member');
    }
  });
});

describe('per-call tenancy with plans', () => {
  let planned: OAuthTestServer;
  beforeAll(async () => {
    planned = await startOAuthServer(
      { registrationsPerHour: 1000 },
      {
        tenancy: { mode: 'per-call' },
        tools: [probe('read_stats', 'mcp:read')],
        plans: { definitions: { free: { title: 'Free', mcp: false }, paid: { title: 'Paid', mcp: true } }, defaultPlan: 'free' },
        builtinTools: { whoami: true, get_capabilities: false, list_organizations: true, switch_organization: false },
      },
    );
    await planned.gatehouse.auth.directory.setPlan(planned.orgs.acme, 'paid');
  }, 60_000);
  afterAll(() => planned.close());

  it('B-PLAN-01: each call checks the plan of the workspace it picks; consent needs no organization', async () => {
    const t = await signIn(planned, 'alice@example.com');
    expect((await callTool(planned, t.access_token, 'read_stats', { workspace_id: 'acme' })).out).toEqual({ organization: planned.orgs.acme, role: 'owner' });
    expect((await callTool(planned, t.access_token, 'read_stats', { workspace_id: 'globex' })).out).toMatchObject({ code: 'plan_required', plan: 'free', required_plan: ['paid'] });
  });

  it('B-TEN-08: each built-in tool can be turned off', async () => {
    const t = await signIn(planned, 'bob@example.com');
    const names = ((await rpc(planned, t.access_token, 'tools/list')).body.result.tools as { name: string }[]).map((x) => x.name);
    expect(names).toEqual(['read_stats', 'whoami', 'list_organizations']);
    expect((await callTool(planned, t.access_token, 'get_capabilities')).body.error).toMatchObject({ code: -32602 });
  });
});
