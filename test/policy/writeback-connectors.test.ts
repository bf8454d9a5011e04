import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineTool } from '../../src/index.js';
import { callTool, toolNames } from '../helpers/sign-in.js';
import { Runs, startPolicyServer, TestClock, type PolicyServer } from './policy-server.js';

const runs = new Runs();
const clock = new TestClock();
const pushConversions = defineTool({
  name: 'push_conversions',
  description: 'Sends conversions to the ads platform.',
  input: z.object({ since: z.string() }),
  writesTo: 'Meta Conversions API',
  handler: () => {
    runs.hit('push_conversions');
    return { pushed: 12 };
  },
});
const syncContacts = defineTool({
  name: 'sync_crm_contacts',
  description: 'Pulls contacts from the CRM.',
  input: z.object({}),
  connector: 'crm',
  scope: 'mcp:read',
  handler: () => {
    runs.hit('sync_crm_contacts');
    return { synced: 4 };
  },
});

let server: PolicyServer;
let keys: Record<'owner' | 'admin' | 'member' | 'viewer' | 'adminNoWrite', string>;
beforeAll(async () => {
  server = await startPolicyServer([pushConversions, syncContacts], {
    clock: clock.now,
    policy: { connectors: { crm: { title: 'HubSpot CRM' } } },
  });
  const acme = server.orgs.acme;
  keys = {
    owner: await server.key(server.users.alice, acme),
    admin: await server.key(server.more.carol, acme),
    member: await server.key(server.users.bob, acme),
    viewer: await server.key(server.more.victor, acme),
    adminNoWrite: await server.key(server.more.carol, acme, ['mcp:read', 'mcp:admin']),
  };
}, 60_000);
afterAll(() => server.close());

describe('B-POL-05 write-back needs the scope, an admin role and the organization’s setting', () => {
  it('B-POL-05: without the write scope: hidden from tools/list and insufficient_scope naming mcp:write', async () => {
    expect(await toolNames(server, keys.adminNoWrite)).not.toContain('push_conversions');
    expect(await toolNames(server, keys.viewer)).not.toContain('push_conversions');
    for (const key of [keys.adminNoWrite, keys.viewer]) {
      const r = await callTool(server, key, 'push_conversions', { since: '2026-11-01' });
      expect(r.out).toMatchObject({ code: 'insufficient_scope', required_scope: 'mcp:write' });
    }
  });

  it('B-POL-05: a member has the scope but not the role: forbidden naming admin', async () => {
    expect(await toolNames(server, keys.member)).not.toContain('push_conversions');
    const r = await callTool(server, keys.member, 'push_conversions', { since: '2026-11-01' });
    expect(r.out).toMatchObject({ code: 'forbidden', required_role: 'admin' });
  });

  it('B-POL-05: an admin with the scope, write-back off: writeback_disabled with where to turn it on', async () => {
    expect(await toolNames(server, keys.admin)).toContain('push_conversions');
    const r = await callTool(server, keys.admin, 'push_conversions', { since: '2026-11-01' });
    expect(r.isError).toBe(true);
    expect(r.out).toMatchObject({ code: 'writeback_disabled', retryable: false, writes_to: 'Meta Conversions API' });
    expect(r.out.action_url).toBe(`${server.base}/dashboard/settings#writeback`);
    expect(runs.count('push_conversions')).toBe(0);
  });

  it('B-POL-05: once an admin turns write-back on it runs for admins and owners, and stops again when turned off', async () => {
    await server.gatehouse.settings.set(server.orgs.acme, { writeback: true });
    expect((await callTool(server, keys.admin, 'push_conversions', { since: '2026-11-01' })).out).toEqual({ pushed: 12 });
    expect((await callTool(server, keys.owner, 'push_conversions', { since: '2026-11-01' })).out).toEqual({ pushed: 12 });
    expect((await callTool(server, keys.member, 'push_conversions', { since: '2026-11-01' })).out).toMatchObject({ code: 'forbidden' });
    await server.gatehouse.settings.set(server.orgs.acme, { writeback: false });
    expect((await callTool(server, keys.admin, 'push_conversions', { since: '2026-11-01' })).out).toMatchObject({ code: 'writeback_disabled' });
    expect(runs.count('push_conversions')).toBe(2);
  });
});

describe('effective policy in get_capabilities', () => {
  it('B-POL-05 and B-POL-06: get_capabilities shows each tool’s effective policy, with the write-back defaults applied', async () => {
    const r = await callTool(server, keys.admin, 'get_capabilities');
    const byName = Object.fromEntries((r.out.tools as { name: string }[]).map((t) => [t.name, t])) as Record<string, any>;
    expect(byName.push_conversions).toMatchObject({
      required_scope: 'mcp:write',
      min_role: 'admin',
      policy: { destructive: false, idempotent: false, cost: 1, writes_to: 'Meta Conversions API', connector: null, addon: null, pii: [], freshness: null },
    });
    expect(byName.sync_crm_contacts.policy).toMatchObject({ connector: 'crm', writes_to: null, cost: 1 });
    expect(byName.whoami.policy).toMatchObject({ cost: 0, destructive: false });
  });
});

describe('B-POL-06 connectors', () => {
  it('B-POL-06: not connected: connector_required with the connector and the page that connects it', async () => {
    const r = await callTool(server, keys.viewer, 'sync_crm_contacts');
    expect(r.out).toMatchObject({ code: 'connector_required', retryable: false, connector: 'crm', action_url: `${server.base}/dashboard/settings#connector-crm` });
    expect(r.out.message).toContain('HubSpot CRM');
    expect(runs.count('sync_crm_contacts')).toBe(0);
  });

  it('B-POL-06: connected: runs; its token expired: connector_expired with the page that re-authorizes it', async () => {
    await server.gatehouse.connectors.connect(server.orgs.acme, 'crm', { expiresAt: clock.ms + 60_000, credential: 'crm-refresh-token-secret', by: server.users.alice });
    expect((await callTool(server, keys.viewer, 'sync_crm_contacts')).out).toEqual({ synced: 4 });
    clock.advance(60_000);
    const r = await callTool(server, keys.viewer, 'sync_crm_contacts');
    expect(r.out).toMatchObject({ code: 'connector_expired', connector: 'crm', action_url: `${server.base}/dashboard/settings#connector-crm` });
    await server.gatehouse.connectors.connect(server.orgs.acme, 'crm', { expiresAt: null });
    expect((await callTool(server, keys.viewer, 'sync_crm_contacts')).out).toEqual({ synced: 4 });
    expect(runs.count('sync_crm_contacts')).toBe(2);
  });

  it('B-POL-06: connectors belong to one organization; the credential is sealed at rest', async () => {
    const globexKey = await server.key(server.users.alice, server.orgs.globex);
    expect((await callTool(server, globexKey, 'sync_crm_contacts')).out).toMatchObject({ code: 'connector_required' });
    await server.gatehouse.connectors.connect(server.orgs.globex, 'crm', { credential: 'globex-crm-secret' });
    const row = await server.gatehouse.database.db.selectFrom('connectors').selectAll().where('organization_id', '=', server.orgs.globex).executeTakeFirstOrThrow();
    expect(row.sealed_credential).not.toContain('globex-crm-secret');
    expect(await server.gatehouse.connectors.credential(server.orgs.globex, 'crm')).toBe('globex-crm-secret');
    expect(await server.gatehouse.connectors.disconnect(server.orgs.globex, 'crm')).toBe(true);
    expect((await callTool(server, globexKey, 'sync_crm_contacts')).out).toMatchObject({ code: 'connector_required' });
  });

  it('B-POL-06: a tool naming a connector that is not declared is a configuration error at start-up', async () => {
    const { createGatehouse } = await import('../../src/index.js');
    await expect(
      createGatehouse({ name: 'x', version: '1', auth: { kind: 'insecure-none' }, store: { kind: 'sqlite', file: ':memory:' }, tools: [syncContacts] }),
    ).rejects.toThrow(/connector crm is not declared in policy.connectors/);
  });
});
