import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Principal } from '../../src/auth/principal.js';
import { ConfigurationError } from '../../src/errors/configuration-error.js';
import { compileTool } from '../../src/protocol/compile-tool.js';
import { SqlChangeNotices } from '../../src/store/change-notices.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { gatehouseMigrations } from '../../src/store/migrations/index.js';
import type { GatehouseSchema } from '../../src/store/schema.js';
import { Directory } from '../../src/tenancy/directory.js';
import { PlanGate } from '../../src/tenancy/plan-gate.js';
import { DEFAULT_ACCESS_MODEL } from '../../src/tenancy/roles.js';
import { ToolAccess } from '../../src/tenancy/tool-access.js';
import { defineTool } from '../../src/tools/define-tool.js';

const tool = (name: string, extra: { scope?: string; minRole?: string } = {}) => compileTool(defineTool({ name, description: 'd', ...extra, input: z.object({}), handler: () => ({}) }), 0);
const who = (scopes: string[], extra: Partial<Principal> = {}): Principal => ({ kind: 'user', credentialId: 'c', userId: 'u', organizationId: 'org_a', scopes: new Set(scopes), ...extra });

describe('ToolAccess: the role → scope mapping and per-tool gates', () => {
  it('B-TEN-02: an unknown scope or role in a tool declaration is a start-up error, not a tool nobody can call', () => {
    expect(() => new ToolAccess(DEFAULT_ACCESS_MODEL, [tool('a', { scope: 'files:all' })])).toThrow(ConfigurationError);
    expect(() => new ToolAccess(DEFAULT_ACCESS_MODEL, [tool('a', { minRole: 'boss' })])).toThrow(/minRole boss is not one of the access model's roles/);
  });

  it('B-TEN-03: minRole admits that role and every more powerful one, in the model\'s order', () => {
    const t = tool('a', { scope: 'mcp:read', minRole: 'member' });
    const access = new ToolAccess(DEFAULT_ACCESS_MODEL, [t]);
    const verdict = (role: string) => access.refusal(who(['mcp:read']), role, t)?.code ?? 'ok';
    expect(['owner', 'admin', 'member', 'viewer'].map(verdict)).toEqual(['ok', 'ok', 'ok', 'forbidden']);
  });

  it('B-TEN-02: a per-call token is narrowed to the role of the workspace the call acts in', () => {
    const t = tool('w', { scope: 'mcp:write' });
    const access = new ToolAccess(DEFAULT_ACCESS_MODEL, [t]);
    const userToken = who(['mcp:read', 'mcp:write'], { organizationId: null });
    expect(access.refusal(userToken, 'member', t)).toBeUndefined();
    expect(access.refusal(userToken, 'viewer', t)?.code).toBe('insufficient_scope');
    expect(access.visible(userToken, t)).toBe(true);
  });
});

describe('PlanGate and change notices', () => {
  let database: Database<GatehouseSchema>;
  let directory: Directory;
  const plans = { definitions: { free: { title: 'Free', mcp: false }, pro: { title: 'Pro', mcp: true } }, defaultPlan: 'free', gate: 'sign-in' as const, cacheMs: 60_000 };
  beforeAll(async () => {
    database = openDatabase<GatehouseSchema>({ kind: 'sqlite', file: ':memory:' });
    await migrateToLatest(database.db, gatehouseMigrations);
  });
  afterAll(() => database.close());

  it('B-PLAN-02: the per-request check is cached, answered synchronously, and dropped at once by a plan notice from another process', async () => {
    const mine = new SqlChangeNotices(database.db, { pollMs: 60_000 });
    const theirs = new SqlChangeNotices(database.db);
    directory = new Directory(database.db, undefined, Date.now, mine);
    const org = await directory.createOrganization({ slug: 'a', name: 'A', plan: 'pro' });
    let now = 1_000_000;
    const gate = new PlanGate(directory, plans, 'https://x/up', mine, () => now);
    await gate.admit(who([], { organizationId: org.id }), org.id, 'tools/call');
    expect(gate.admit(who([]), org.id, 'tools/call')).toBeUndefined(); // synchronous: a cache hit

    await new Directory(database.db, undefined, Date.now, theirs).setPlan(org.id, 'free');
    expect(gate.admit(who([]), org.id, 'tools/call')).toBeUndefined(); // not seen yet
    await mine.poll();
    expect((await gate.admit(who([]), org.id, 'tools/call'))?.code).toBe('plan_required');
    await mine.poll();
    now += 61_000; // and without notices the cache ends after cacheMs
    await directory.setPlan(org.id, 'pro');
    expect(await gate.admit(who([]), org.id, 'tools/call')).toBeUndefined();
  });

  it('B-PLAN-03: a token issued before a downgrade passes the per-request check; one issued after, and an API key, do not', async () => {
    const org = await directory.createOrganization({ slug: 'b', name: 'B', plan: 'pro' });
    const gate = new PlanGate(directory, plans, 'https://x/up');
    const before = Math.floor(Date.now() / 1000) - 5;
    await directory.setPlan(org.id, 'free');
    expect(await gate.admit(who([], { issuedAt: before }), org.id, 'tools/list')).toBeUndefined();
    expect((await gate.admit(who([], { issuedAt: Math.floor(Date.now() / 1000) + 5 }), org.id, 'tools/list'))?.code).toBe('plan_required');
    expect((await gate.admit(who([], { kind: 'api_key' }), org.id, 'tools/list'))?.code).toBe('plan_required');
    expect((await gate.check(org.id, 'refresh'))?.code).toBe('plan_downgraded');
    expect((await gate.check(org.id, 'consent'))?.code).toBe('plan_required');
  });

  it('B-PLAN-02: a notice is delivered once per process, however often it polls', async () => {
    const a = new SqlChangeNotices(database.db);
    const b = new SqlChangeNotices(database.db);
    await b.start();
    b.stop();
    const seen: string[] = [];
    b.subscribe('membership', (s) => seen.push(s));
    await a.publish('membership', 'usr_1');
    await b.poll();
    await b.poll();
    expect(seen).toEqual(['usr_1']);
  });
});
