import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiKeyStore } from '../../src/auth/api-keys/api-key-store.js';
import { openDatabase } from '../../src/store/database.js';
import type { GatehouseSchema } from '../../src/store/schema.js';
import { createTestDatabase } from '../helpers/postgres.js';
import { mcpCall, runCli, runJson, startDev, type DevServer } from './cli-process.js';

const PASSWORD = 'correct horse battery staple';
const tempData = () => mkdtempSync(join(tmpdir(), 'gatehouse-admin-'));

interface CreatedKey {
  key: string;
  id: string;
  display: string;
  scopes: string[];
  expires_at: string | null;
  organization: string;
}

describe('gatehouse admin: users, organizations, members', () => {
  const data = tempData();
  const admin = (...args: string[]) => runCli(['admin', ...args, '--data', data]);

  it('B-TEN-01: user add reads the password from stdin, never argv; a duplicate email is refused', async () => {
    const created = await runJson(['admin', 'user', 'add', '--email', 'Ada@Example.com', '--name', 'Ada', '--password-stdin', '--data', data], { input: `${PASSWORD}\n` });
    expect(created).toMatchObject({ email: 'ada@example.com', name: 'Ada' });
    expect(created.id).toMatch(/^usr_/);
    expect(JSON.stringify(created)).not.toContain(PASSWORD);
    expect(JSON.stringify(created)).not.toContain('scrypt');

    const again = await runCli(['admin', 'user', 'add', '--email', 'ada@example.com', '--password-stdin', '--data', data], { input: PASSWORD });
    expect(again.status).toBe(1);
    expect(again.stderr).toBe('gatehouse admin: A user with email ada@example.com already exists.\n');
    const againJson = await runCli(['admin', 'user', 'add', '--email', 'ada@example.com', '--password-stdin', '--json', '--data', data], { input: PASSWORD });
    expect(againJson.status).toBe(1);
    expect(JSON.parse(againJson.stdout)).toEqual({ error: 'user_exists', message: 'A user with email ada@example.com already exists.' });

    const short = await runCli(['admin', 'user', 'add', '--email', 'bo@example.com', '--password-stdin', '--data', data], { input: 'short\n' });
    expect(short.status).toBe(1);
    expect(short.stderr).toContain('at least 12 characters');
    expect(short.stderr).not.toContain('    at ');

    const onArgv = await admin('user', 'add', '--email', 'bo@example.com', '--password', PASSWORD);
    expect(onArgv.status).toBe(2);
    expect(onArgv.stderr).toContain('--password-stdin');
    expect((await admin('user', 'add', '--email', 'bo@example.com')).status).toBe(2);
    expect((await admin('user', 'add', '--email', 'not-an-email', '--password-stdin')).status).toBe(2);
  });

  it('B-TEN-01: org add and member add give a user one role in an organization; unknown names are refused', async () => {
    await runJson(['admin', 'user', 'add', '--email', 'cy@example.com', '--password-stdin', '--data', data], { input: PASSWORD });
    const org = await runJson(['admin', 'org', 'add', '--slug', 'initech', '--name', 'Initech', '--data', data]);
    expect(org).toMatchObject({ slug: 'initech', name: 'Initech' });
    expect(org.id).toMatch(/^org_/);
    expect(await runJson(['admin', 'org', 'add', '--slug', 'hooli', '--name', 'Hooli', '--id', 'org_hooli', '--data', data])).toMatchObject({ id: 'org_hooli' });
    expect((await admin('org', 'add', '--slug', 'initech', '--name', 'Again')).stderr).toContain('slug initech already exists');
    expect((await admin('org', 'add', '--slug', 'Bad Slug', '--name', 'x')).status).toBe(2);

    expect(await runJson(['admin', 'member', 'add', '--email', 'cy@example.com', '--org', 'initech', '--role', 'viewer', '--data', data])).toMatchObject({ organization: 'initech', role: 'viewer' });
    const twice = await admin('member', 'add', '--email', 'cy@example.com', '--org', 'initech', '--role', 'owner');
    expect([twice.status, twice.stderr]).toEqual([1, 'gatehouse admin: cy@example.com is already a viewer of initech.\n']);
    const noUser = await runCli(['admin', 'member', 'add', '--email', 'nobody@example.com', '--org', 'initech', '--role', 'member', '--json', '--data', data]);
    expect([noUser.status, JSON.parse(noUser.stdout).error]).toEqual([1, 'user_not_found']);
    const noOrg = await admin('member', 'add', '--email', 'cy@example.com', '--org', 'nope', '--role', 'member');
    expect(noOrg.status).toBe(1);
    expect(noOrg.stderr).toContain('No organization nope (known: hooli, initech)');
    expect((await admin('member', 'add', '--email', 'cy@example.com', '--org', 'initech', '--role', 'boss')).status).toBe(2);
    const list = await runJson<{ slug: string }[]>(['admin', 'org', 'list', '--data', data]);
    expect(list.map((o) => o.slug)).toEqual(['hooli', 'initech']);
  });

  it('B-AUTH-10: key create checks scopes against the role and picks the organization only when it is unambiguous', async () => {
    await runJson(['admin', 'user', 'add', '--email', 'dee@example.com', '--password-stdin', '--data', data], { input: PASSWORD });
    const none = await runCli(['admin', 'key', 'create', '--email', 'dee@example.com', '--json', '--data', data]);
    expect([none.status, JSON.parse(none.stdout).error]).toEqual([1, 'no_organization']);

    await runJson(['admin', 'member', 'add', '--email', 'dee@example.com', '--org', 'initech', '--role', 'viewer', '--data', data]);
    const viewerKey = await runJson<CreatedKey>(['admin', 'key', 'create', '--email', 'dee@example.com', '--data', data]);
    expect(viewerKey).toMatchObject({ organization: 'initech', scopes: ['mcp:read'], expires_at: null });

    const beyond = await admin('key', 'create', '--email', 'dee@example.com', '--scopes', 'mcp:read mcp:write');
    expect(beyond.status).toBe(1);
    expect(beyond.stderr).toBe('gatehouse admin: The viewer role in initech does not grant mcp:write; it grants mcp:read.\n');
    const unknown = await runCli(['admin', 'key', 'create', '--email', 'dee@example.com', '--scopes', 'mcp:read files:all', '--json', '--data', data]);
    expect([unknown.status, JSON.parse(unknown.stdout).error]).toEqual([1, 'unknown_scope']);
    expect(unknown.stderr).toContain('Unknown scope files:all');

    await runJson(['admin', 'member', 'add', '--email', 'dee@example.com', '--org', 'hooli', '--role', 'admin', '--data', data]);
    const ambiguous = await admin('key', 'create', '--email', 'dee@example.com');
    expect(ambiguous.status).toBe(1);
    expect(ambiguous.stderr).toContain('choose one with --org: hooli (admin), initech (viewer)');
    const adminKey = await runJson<CreatedKey>(['admin', 'key', 'create', '--email', 'dee@example.com', '--org', 'hooli', '--scopes', 'mcp:admin', '--data', data]);
    expect(adminKey.scopes).toEqual(['mcp:admin']);
    expect((await admin('key', 'create', '--email', 'dee@example.com', '--org', 'globex')).stderr).toContain('No organization globex');
  });

  it('B-AUTH-10: --expires takes a duration (30d) and refuses anything else as a usage mistake', async () => {
    const before = Date.now();
    const key = await runJson<CreatedKey>(['admin', 'key', 'create', '--email', 'cy@example.com', '--expires', '30d', '--data', data]);
    const expires = Date.parse(key.expires_at ?? '');
    expect(expires - before).toBeGreaterThanOrEqual(30 * 86_400_000);
    expect(expires - before).toBeLessThan(30 * 86_400_000 + 60_000);
    for (const bad of ['30x', 'soon', '0d', '-1d']) {
      const r = await admin('key', 'create', '--email', 'cy@example.com', `--expires=${bad}`);
      expect(r.status, bad).toBe(2);
      expect(r.stderr).toContain('--expires takes a duration like 30d');
    }
    const plain = await admin('key', 'create', '--email', 'cy@example.com', '--expires', '12h');
    expect(plain.status).toBe(0);
    expect(plain.stdout).toMatch(/^gh_[A-Za-z0-9_-]{43}\n$/);
    expect(plain.stderr).toContain('Store it now, it is not shown again');
  });
});

describe('gatehouse admin keys against a running server', () => {
  const data = tempData();
  let server: DevServer | undefined;
  afterAll(async () => server?.stop());

  it('B-AUTH-10: a created key calls tools on the server; key list shows it without the secret and with its last use; a revoked or expired key gets 401 {"error":"Unauthorized"}', async () => {
    server = await startDev(data);
    await runJson(['admin', 'user', 'add', '--email', 'eve@example.com', '--password-stdin', '--data', data], { input: PASSWORD });
    await runJson(['admin', 'member', 'add', '--email', 'eve@example.com', '--org', 'acme', '--role', 'member', '--data', data]);
    const created = await runJson<CreatedKey>(['admin', 'key', 'create', '--email', 'eve@example.com', '--name', 'ci', '--data', data]);
    expect(created).toMatchObject({ organization: 'acme', scopes: ['mcp:read', 'mcp:write'] });
    expect(created.key.startsWith(created.display.replace('…', ''))).toBe(true);

    const call = () => mcpCall(server!.url, 'tools/call', { name: 'get_organization', arguments: {} }, created.key);
    const ok = await call();
    expect(ok.status).toBe(200);
    expect(ok.body.result.structuredContent).toMatchObject({ id: 'org_acme', name: 'Acme Outfitters' });

    // The server records the use off the request path; give it a moment.
    let listed: Record<string, unknown>[] = [];
    for (let i = 0; i < 40; i++) {
      listed = await runJson<Record<string, unknown>[]>(['admin', 'key', 'list', '--email', 'eve@example.com', '--data', data]);
      if (listed[0]?.last_used_at !== null) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: created.id, display: created.display, user: 'eve@example.com', organization: 'acme', status: 'active', revoked_at: null });
    expect(listed[0]?.last_used_at).toEqual(expect.any(String));
    const table = await runCli(['admin', 'key', 'list', '--data', data]);
    expect(table.stdout).toContain(created.id);
    expect(table.stdout).toMatch(/LAST USED/);
    for (const out of [JSON.stringify(listed), table.stdout]) {
      expect(out).not.toContain(created.key);
      expect(out).not.toContain('secret_hash');
    }

    const revoked = await runJson(['admin', 'key', 'revoke', created.id, '--data', data]);
    expect(revoked).toMatchObject({ id: created.id, status: 'revoked', already_revoked: false });
    expect(await runJson(['admin', 'key', 'revoke', created.id, '--data', data])).toMatchObject({ already_revoked: true });
    expect((await runCli(['admin', 'key', 'revoke', 'key_nope', '--data', data])).status).toBe(1);
    const shortLived = await runJson<CreatedKey>(['admin', 'key', 'create', '--email', 'eve@example.com', '--expires', '1s', '--data', data]);

    // A running server may honour a key it verified in the last 30 s (its verification cache);
    // a server started over the same data refuses the revoked key at once.
    await server.stop();
    server = await startDev(data);
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(shortLived.expires_at ?? '') - Date.now() + 50)));
    for (const key of [created.key, shortLived.key]) {
      const res = await mcpCall(server.url, 'tools/call', { name: 'get_organization', arguments: {} }, key);
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ error: 'Unauthorized', code: 'invalid_api_key' });
    }
  }, 60_000);
});

describe('gatehouse admin on PostgreSQL', () => {
  it('B-AUTH-10: with DATABASE_URL the commands migrate and use PostgreSQL, and keys hash under GATEHOUSE_SECRET as the server does', async (ctx) => {
    const pg = await createTestDatabase();
    if (pg === undefined) return ctx.skip('PostgreSQL is not running on 127.0.0.1:5432 (set REQUIRE_SERVICES=1 to fail instead)');
    const secret = 'a-shared-server-secret-of-at-least-32-chars';
    try {
      const noSecret = await runCli(['admin', 'org', 'list', '--json'], { env: { DATABASE_URL: pg.url } });
      expect(noSecret.status).toBe(1);
      expect(JSON.parse(noSecret.stdout).error).toBe('secret_required');

      const env = { DATABASE_URL: pg.url, GATEHOUSE_SECRET: secret };
      const data = tempData(); // must stay unused: DATABASE_URL wins
      await runJson(['admin', 'org', 'add', '--slug', 'acme', '--name', 'Acme', '--data', data], { env });
      await runJson(['admin', 'user', 'add', '--email', 'pat@example.com', '--password-stdin'], { env, input: PASSWORD });
      await runJson(['admin', 'member', 'add', '--email', 'pat@example.com', '--org', 'acme', '--role', 'owner'], { env });
      const created = await runJson<CreatedKey>(['admin', 'key', 'create', '--email', 'pat@example.com', '--scopes', 'mcp:read'], { env });
      expect(await runJson<unknown[]>(['admin', 'key', 'list'], { env })).toHaveLength(1);
      expect(await runJson<unknown[]>(['admin', 'org', 'list', '--data', data])).toEqual([]);

      const database = openDatabase<GatehouseSchema>({ kind: 'postgres', url: pg.url });
      try {
        const verify = (s: string) => new ApiKeyStore(database.db, s, 'gh').findLive(created.key);
        expect((await verify(secret))?.id).toBe(created.id);
        expect(await verify('another-secret-that-is-32-characters-long')).toBeUndefined();
        await runJson(['admin', 'key', 'revoke', created.id], { env });
        expect(await verify(secret)).toBeUndefined();
      } finally {
        await database.close();
      }
    } finally {
      await pg.drop();
    }
  }, 60_000);
});

interface ShownOrg {
  id: string;
  slug: string;
  name: string;
  plan: string | null;
  plan_changed_at: string | null;
  created_at: string;
  members: { email: string; name: string | null; role: string }[];
}

describe('gatehouse admin: roles, removal and plans', () => {
  const data = tempData();
  const admin = (...args: string[]) => runCli(['admin', ...args, '--data', data]);
  const refusal = async (...args: string[]) => {
    const r = await runCli(['admin', ...args, '--json', '--data', data]);
    return { status: r.status, ...(JSON.parse(r.stdout) as { error: string; message: string }) };
  };

  it('B-TEN-01: member set-role changes the role; the last owner cannot be demoted or removed; org show lists the members and plan', async () => {
    await runJson(['admin', 'user', 'add', '--email', 'ann@example.com', '--name', 'Ann', '--password-stdin', '--data', data], { input: PASSWORD });
    await runJson(['admin', 'user', 'add', '--email', 'ben@example.com', '--password-stdin', '--data', data], { input: PASSWORD });
    expect(await runJson(['admin', 'org', 'add', '--slug', 'umbrella', '--name', 'Umbrella', '--plan', 'starter', '--data', data])).toMatchObject({ slug: 'umbrella', plan: 'starter' });
    const badPlan = await admin('org', 'add', '--slug', 'tyrell', '--name', 'Tyrell', '--plan', 'Gold Plan');
    expect([badPlan.status, badPlan.stderr]).toEqual([2, expect.stringContaining('--plan must be 1–40 lower-case letters')]);
    await runJson(['admin', 'member', 'add', '--email', 'ann@example.com', '--org', 'umbrella', '--role', 'owner', '--data', data]);
    await runJson(['admin', 'member', 'add', '--email', 'ben@example.com', '--org', 'umbrella', '--role', 'viewer', '--data', data]);

    const shown = await runJson<ShownOrg>(['admin', 'org', 'show', 'umbrella', '--data', data]);
    expect(shown).toMatchObject({ slug: 'umbrella', name: 'Umbrella', plan: 'starter', plan_changed_at: null });
    expect(shown.id).toMatch(/^org_/);
    expect(shown.members).toEqual([
      { email: 'ann@example.com', name: 'Ann', role: 'owner' },
      { email: 'ben@example.com', name: null, role: 'viewer' },
    ]);
    expect(JSON.stringify(shown)).not.toContain('scrypt');

    // Ann is the only owner: she can be neither demoted nor removed.
    const demote = await refusal('member', 'set-role', '--org', 'umbrella', '--email', 'ann@example.com', '--role', 'admin');
    expect(demote).toMatchObject({ status: 1, error: 'last_owner' });
    expect(demote.message).toContain('an organization always keeps an owner');
    expect(demote.message).toContain('Promote someone else to owner first');
    expect(await refusal('member', 'remove', '--org', 'umbrella', '--email', 'ann@example.com')).toMatchObject({ status: 1, error: 'last_owner' });
    expect((await admin('member', 'set-role', '--org', 'umbrella', '--email', 'ann@example.com', '--role', 'boss')).status).toBe(2);

    // Promote Ben first; then Ann may step down, and Ben is the one who must stay.
    expect(await runJson(['admin', 'member', 'set-role', '--org', 'umbrella', '--email', 'ben@example.com', '--role', 'owner', '--data', data])).toMatchObject({ previous_role: 'viewer', role: 'owner', changed: true });
    const stepDown = await admin('member', 'set-role', '--org', 'umbrella', '--email', 'ann@example.com', '--role', 'member');
    expect([stepDown.status, stepDown.stdout]).toEqual([0, 'ann@example.com is now a member of umbrella (was owner).\n']);
    expect(await refusal('member', 'remove', '--org', 'umbrella', '--email', 'ben@example.com')).toMatchObject({ status: 1, error: 'last_owner' });

    expect(await runJson(['admin', 'member', 'remove', '--org', 'umbrella', '--email', 'ann@example.com', '--data', data])).toMatchObject({ user: 'ann@example.com', organization: 'umbrella', previous_role: 'member' });
    expect(await refusal('member', 'set-role', '--org', 'umbrella', '--email', 'ann@example.com', '--role', 'viewer')).toMatchObject({ status: 1, error: 'not_a_member' });
    expect(await refusal('member', 'remove', '--org', 'umbrella', '--email', 'ann@example.com')).toMatchObject({ status: 1, error: 'not_a_member' });
    expect((await runJson<ShownOrg>(['admin', 'org', 'show', shown.id, '--data', data])).members).toEqual([{ email: 'ben@example.com', name: null, role: 'owner' }]);
  }, 60_000);

  it('B-PLAN-02: plan set records the change, prints the old and new plan and tells running servers; org show and org list reflect it', async () => {
    const before = Date.now();
    const changed = await runJson<{ previous_plan: string | null; plan: string; plan_changed_at: string }>(['admin', 'plan', 'set', '--org', 'umbrella', '--plan', 'growth', '--data', data]);
    expect(changed).toMatchObject({ organization: 'umbrella', previous_plan: 'starter', plan: 'growth' });
    expect(Date.parse(changed.plan_changed_at)).toBeGreaterThanOrEqual(before - 1000);
    const plain = await admin('plan', 'set', '--org', 'umbrella', '--plan', 'scale');
    expect([plain.status, plain.stdout]).toEqual([0, 'Changed the plan of umbrella from growth to scale. Running servers apply it within about a second.\n']);

    const shown = await runJson<ShownOrg>(['admin', 'org', 'show', 'umbrella', '--data', data]);
    expect(shown.plan).toBe('scale');
    expect(Date.parse(shown.plan_changed_at ?? '')).toBeGreaterThanOrEqual(Date.parse(changed.plan_changed_at));
    expect(await runJson<{ slug: string; plan: string | null }[]>(['admin', 'org', 'list', '--data', data])).toEqual([expect.objectContaining({ slug: 'umbrella', plan: 'scale' })]);

    // The CLI announces each change in the store, where running servers poll for it.
    const database = openDatabase<GatehouseSchema>({ kind: 'sqlite', file: join(data, 'gatehouse.sqlite') });
    try {
      const notices = await database.db.selectFrom('change_notices').selectAll().where('topic', '=', 'plan').execute();
      expect(notices.map((n) => n.subject)).toEqual([shown.id, shown.id]);
    } finally {
      await database.close();
    }

    expect(await refusal('plan', 'set', '--org', 'nope', '--plan', 'growth')).toMatchObject({ status: 1, error: 'organization_not_found' });
    expect(await refusal('org', 'show', 'nope')).toMatchObject({ status: 1, error: 'organization_not_found' });
    expect((await admin('plan', 'set', '--org', 'umbrella', '--plan', 'Growth!')).status).toBe(2);
    expect((await admin('plan', 'set', '--org', 'umbrella')).status).toBe(2);
    expect((await admin('org', 'show')).status).toBe(2);
  }, 60_000);
});
