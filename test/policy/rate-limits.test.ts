import { z } from 'zod';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { defineTool } from '../../src/index.js';
import type { Principal } from '../../src/auth/principal.js';
import { RateLimits } from '../../src/policy/rate-limits.js';
import { callTool, rpc } from '../helpers/sign-in.js';
import { startPolicyServer, type PolicyServer } from './policy-server.js';

const cheap = defineTool({ name: 'cheap', description: 'Costs one unit.', input: z.object({}), handler: () => ({ ok: true }) });
const pricey = defineTool({ name: 'export_contacts', description: 'Costs four units.', input: z.object({}), cost: 4, handler: () => ({ ok: true }) });
const free = defineTool({ name: 'ping', description: 'Costs nothing.', input: z.object({}), cost: 0, handler: () => ({ ok: true }) });

const PLANS = {
  definitions: {
    growth: { title: 'Growth', mcp: true },
    scale: { title: 'Scale', mcp: true, limits: { requestsPerMinute: 8, costUnits: { points: 20, periodSec: 3600 } } },
  },
  defaultPlan: 'growth',
};

let server: PolicyServer;
beforeAll(async () => {
  server = await startPolicyServer([cheap, pricey, free], {
    plans: PLANS,
    policy: { rateLimits: { requestsPerMinute: 5, costUnits: { points: 10, periodSec: 3600 } } },
  });
}, 60_000);
afterAll(() => server.close());

describe('B-POL-02 per-credential request limit at the transport', () => {
  it('B-POL-02: past the per-minute limit a credential gets 429 with Retry-After and retry_after; another credential is unaffected', async () => {
    const key = await server.key(server.more.victor, server.orgs.acme);
    for (let i = 0; i < 5; i++) expect((await rpc(server, key, 'tools/list')).status).toBe(200);
    const res = await fetch(server.mcpUrl, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', accept: 'application/json', 'mcp-protocol-version': '2025-11-25' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    expect(res.status).toBe(429);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ code: 'rate_limited', retryable: true, limit: 5 });
    expect(body.retry_after).toBeGreaterThan(0);
    expect(body.retry_after).toBeLessThanOrEqual(60);
    expect(res.headers.get('retry-after')).toBe(String(body.retry_after));
    const other = await server.key(server.users.bob, server.orgs.acme);
    expect((await rpc(server, other, 'tools/list')).status).toBe(200);
  });

  it('B-POL-02: parallel requests at the limit edge: exactly the limit is admitted', async () => {
    const key = await server.key(server.more.carol, server.orgs.acme);
    const statuses = await Promise.all(Array.from({ length: 12 }, () => rpc(server, key, 'tools/list').then((r) => r.status)));
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
  });

  it('B-POL-02: a plan sets its own limit', async () => {
    await server.gatehouse.auth.directory.setPlan(server.orgs.globex, 'scale');
    const key = await server.key(server.users.alice, server.orgs.globex);
    const statuses = await Promise.all(Array.from({ length: 10 }, () => rpc(server, key, 'tools/list').then((r) => r.status)));
    expect(statuses.filter((s) => s === 200)).toHaveLength(8);
  });
});

describe('B-POL-02 cost units per organization at the tool layer', () => {
  it('B-POL-02: calls use their cost units; past the cap: rate_limited as a tool error with retryable and retry_after', async () => {
    const acme = server.orgs.acme;
    const keys = await Promise.all([server.key(server.users.alice, acme), server.key(server.users.bob, acme)]);
    // 4 + 4 units by two credentials of one organization: the allowance is the organization's.
    expect((await callTool(server, keys[0], 'export_contacts')).out).toEqual({ ok: true });
    expect((await callTool(server, keys[1], 'export_contacts')).out).toEqual({ ok: true });
    const r = await callTool(server, keys[0], 'export_contacts');
    expect(r.status).toBe(200);
    expect(r.isError).toBe(true);
    expect(r.out).toMatchObject({ code: 'rate_limited', retryable: true, limit: 10, period_sec: 3600, cost: 4 });
    expect(r.out.retry_after).toBeGreaterThan(3500);
    // Free tools still run; two units are left for cheap calls.
    expect((await callTool(server, keys[1], 'ping')).out).toEqual({ ok: true });
    expect((await callTool(server, keys[1], 'cheap')).out).toEqual({ ok: true });
  });

  it('B-POL-02: parallel calls at the cap edge: exactly the calls that fit in the cap run', async () => {
    const d = server.gatehouse.auth.directory;
    const initech = await d.createOrganization({ slug: 'initech', name: 'Initech', plan: 'scale' });
    await d.addMember(server.users.alice, initech.id, 'owner');
    const key = await server.key(server.users.alice, initech.id);
    // Scale: 20 units an hour and 8 requests a minute; eight calls of four units each.
    const outs = await Promise.all(Array.from({ length: 8 }, () => callTool(server, key, 'export_contacts')));
    expect(outs.map((o) => o.status)).toEqual(Array(8).fill(200));
    expect(outs.filter((o) => o.out?.ok === true)).toHaveLength(5);
    expect(outs.filter((o) => o.out?.code === 'rate_limited')).toHaveLength(3);
  });
});

describe('B-POL-02 windows (frozen clock)', () => {
  afterEach(() => vi.useRealTimers());
  it('B-POL-02: a spent minute refills when the minute is over, and the cost allowance when its period is over', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'clearTimeout'] });
    const limits = new RateLimits({ requestsPerMinute: 2, costUnits: { points: 3, periodSec: 600 } }, undefined);
    const who = { credentialId: 'key_1', organizationId: 'org_1' } as Principal;
    expect(await limits.request(who)).toBeUndefined();
    expect(await limits.request(who)).toBeUndefined();
    const refused = await limits.request(who);
    expect(refused).toMatchObject({ code: 'rate_limited', details: { retry_after: 60 } });
    vi.advanceTimersByTime(30_000);
    expect(await limits.request(who)).toMatchObject({ details: { retry_after: 30 } });
    vi.advanceTimersByTime(30_001);
    expect(await limits.request(who)).toBeUndefined();

    expect(await limits.cost('org_1', 3)).toBeUndefined();
    expect(await limits.cost('org_1', 1)).toMatchObject({ code: 'rate_limited', details: { retry_after: 600, remaining: 0 } });
    expect(await limits.cost('org_2', 1)).toBeUndefined();
    vi.advanceTimersByTime(600_001);
    expect(await limits.cost('org_1', 3)).toBeUndefined();
    expect(await limits.cost('org_1', 4)).toMatchObject({ code: 'rate_limited' });
  });
});
