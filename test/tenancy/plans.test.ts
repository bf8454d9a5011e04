import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlChangeNotices } from '../../src/store/change-notices.js';
import { openDatabase } from '../../src/store/database.js';
import type { GatehouseSchema } from '../../src/store/schema.js';
import { Directory } from '../../src/tenancy/directory.js';
import { authorize } from '../helpers/oauth-flow.js';
import { PASSWORD, startOAuthServer, type OAuthTestServer } from '../helpers/oauth-server.js';
import { callTool, REDIRECT, refresh, rpc, signIn } from '../helpers/sign-in.js';

const PLANS = {
  definitions: { starter: { title: 'Starter', mcp: false }, growth: { title: 'Growth', mcp: true }, scale: { title: 'Scale', mcp: true } },
  defaultPlan: 'starter',
};
const UPGRADE = 'https://billing.example.com/upgrade';

async function apiKey(server: OAuthTestServer, userId: string, organizationId: string): Promise<string> {
  return (await server.gatehouse.auth.apiKeys.create({ userId, organizationId, name: 'test', scopes: ['mcp:read'] })).key;
}

describe('plans gate MCP access at sign-in, refresh and every request (gate: sign-in)', () => {
  let server: OAuthTestServer;
  let file: string;
  beforeAll(async () => {
    file = join(mkdtempSync(join(tmpdir(), 'gatehouse-plans-')), 'store.sqlite');
    server = await startOAuthServer({ registrationsPerHour: 1000 }, { store: { kind: 'sqlite', file }, secret: 'plans-test-secret-that-is-32-characters', plans: { ...PLANS, upgradeUrl: UPGRADE } });
    const d = server.gatehouse.auth.directory;
    await d.setPlan(server.orgs.acme, 'growth');
    await d.setPlan(server.orgs.globex, 'starter');
  }, 60_000);
  afterAll(() => server.close());

  it('B-PLAN-01: consent for an organization on a free plan is refused with plan_required and where to upgrade', async () => {
    const err = await authorize(server.base, { email: 'alice@example.com', password: PASSWORD, redirectUri: REDIRECT, organization: server.orgs.globex }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    const callback = new URL(/no code: (\S+)/.exec((err as Error).message)?.[1] ?? 'http://x');
    expect(callback.searchParams.get('error')).toBe('plan_required');
    expect(callback.searchParams.get('error_description')).toContain('Starter');
    expect(callback.searchParams.get('error_description')).toContain(UPGRADE);
  });

  it('B-PLAN-01: on every request: an API key of a free-plan organization gets 403 plan_required with required_plan and upgrade_url', async () => {
    const key = await apiKey(server, server.users.alice, server.orgs.globex);
    const r = await rpc(server, key, 'tools/list');
    expect(r.status).toBe(403);
    expect(r.body).toMatchObject({ code: 'plan_required', plan: 'starter', required_plan: ['growth', 'scale'], upgrade_url: UPGRADE, retryable: false });
  });

  it('B-PLAN-02: a plan change is felt on the next request, in this process and from another process sharing the store', async () => {
    const key = await apiKey(server, server.users.bob, server.orgs.acme);
    expect((await rpc(server, key, 'tools/list')).status).toBe(200);
    await server.gatehouse.auth.directory.setPlan(server.orgs.acme, 'starter');
    expect((await rpc(server, key, 'tools/list')).body).toMatchObject({ code: 'plan_required' });
    await server.gatehouse.auth.directory.setPlan(server.orgs.acme, 'growth');
    expect((await rpc(server, key, 'tools/list')).status).toBe(200);

    // Another process (the admin CLI, another instance): its notice reaches this server's cache within a poll.
    const other = openDatabase<GatehouseSchema>({ kind: 'sqlite', file });
    try {
      await new Directory(other.db, undefined, Date.now, new SqlChangeNotices(other.db)).setPlan(server.orgs.acme, 'starter');
      const start = Date.now();
      let status = 200;
      while (status === 200 && Date.now() - start < 3000) {
        status = (await rpc(server, key, 'tools/list')).status;
        if (status === 200) await new Promise((r) => setTimeout(r, 100));
      }
      expect(status).toBe(403);
      expect(Date.now() - start).toBeLessThan(2500);
    } finally {
      await new Directory(other.db, undefined, Date.now, new SqlChangeNotices(other.db)).setPlan(server.orgs.acme, 'growth');
      await other.close();
    }
  });

  it('B-PLAN-03: after a downgrade the live access token works until it expires; the next refresh fails with plan_downgraded', async () => {
    const t = await signIn(server, 'bob@example.com');
    await server.gatehouse.auth.directory.setPlan(server.orgs.acme, 'starter');
    try {
      expect((await callTool(server, t.access_token, 'whoami_probe')).status).toBe(200);
      const r = await refresh(server, t);
      expect(r.status).toBe(403);
      expect(r.body).toMatchObject({ error: 'plan_downgraded' });
      expect(String(r.body.error_description)).toContain('Starter');
      // The refused refresh did not rotate: after an upgrade the same refresh token works again.
      await server.gatehouse.auth.directory.setPlan(server.orgs.acme, 'growth');
      expect((await refresh(server, t)).status).toBe(200);
    } finally {
      await server.gatehouse.auth.directory.setPlan(server.orgs.acme, 'growth');
    }
  });

  it('B-PLAN-01: whoami and list_organizations show each organization\'s plan', async () => {
    const t = await signIn(server, 'alice@example.com', { organization: server.orgs.acme });
    expect((await callTool(server, t.access_token, 'whoami')).out.plan).toEqual({ name: 'growth', title: 'Growth', includes_mcp: true });
    const orgs = (await callTool(server, t.access_token, 'list_organizations')).out.organizations as { slug: string; plan: unknown }[];
    expect(orgs.map((o) => [o.slug, o.plan])).toEqual([
      ['acme', { name: 'growth', title: 'Growth', includes_mcp: true }],
      ['globex', { name: 'starter', title: 'Starter', includes_mcp: false }],
    ]);
  });
});

describe('plans gate only tools/call (gate: tools-call)', () => {
  let server: OAuthTestServer;
  beforeAll(async () => {
    server = await startOAuthServer({ registrationsPerHour: 1000 }, { plans: { ...PLANS, gate: 'tools-call' } });
    await server.gatehouse.auth.directory.setPlan(server.orgs.acme, 'starter');
  }, 60_000);
  afterAll(() => server.close());

  it('B-PLAN-04: OAuth completes on every tier, discovery and tools/list work, and tools/call answers 403 subscription_required', async () => {
    const t = await signIn(server, 'bob@example.com');
    expect((await rpc(server, t.access_token, 'tools/list')).status).toBe(200);
    const call = await rpc(server, t.access_token, 'tools/call', { name: 'whoami_probe', arguments: {} });
    expect(call.status).toBe(403);
    expect(call.body).toMatchObject({ code: 'subscription_required', required_plan: ['growth', 'scale'], upgrade_url: `${server.base}/dashboard/plan` });
    expect((await refresh(server, t)).status).toBe(200);
    await server.gatehouse.auth.directory.setPlan(server.orgs.acme, 'scale');
    expect((await rpc(server, t.access_token, 'tools/call', { name: 'whoami_probe', arguments: {} })).status).toBe(200);
  });
});
