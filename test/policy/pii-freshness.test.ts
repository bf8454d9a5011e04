import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineTool, fail, text, toolResult } from '../../src/index.js';
import { maskValue } from '../../src/policy/pii-mask.js';
import { callTool } from '../helpers/sign-in.js';
import { startPolicyServer, TestClock, type PolicyServer } from './policy-server.js';

const clock = new TestClock();
const LAST_SYNC = '2026-11-22T06:00:00.000Z';
const getSubscriber = defineTool({
  name: 'get_subscriber',
  description: 'One subscriber with their contact details.',
  input: z.object({ id: z.string() }),
  output: z.object({ id: z.string(), email: z.string(), name: z.string(), phone: z.string().nullable(), tags: z.array(z.string()) }),
  pii: ['email', 'name', 'phone'],
  handler: ({ id }) => ({ id, email: 'jane.doe@example.com', name: 'Jane Doe', phone: '+1 555 0100', tags: ['vip'] }),
});
const listSubscribers = defineTool({
  name: 'list_subscribers',
  description: 'Subscribers, as data and as text.',
  input: z.object({}),
  pii: ['subscribers[].email'],
  handler: () =>
    toolResult({
      content: [text('jane.doe@example.com, max@example.org')],
      structuredContent: { subscribers: [{ email: 'jane.doe@example.com' }, { email: 'max@example.org' }] },
    }),
});
const report = defineTool({
  name: 'campaign_report',
  description: 'Opens and clicks in a window.',
  input: z.object({ from: z.string().date(), to: z.string().date() }),
  output: z.object({ opens: z.number(), clicks: z.number() }),
  freshness: 'reported',
  handler: ({ from, to }, ctx) => {
    if (from > to) throw fail('invalid_input', 'from must not be after to', { field: 'from' });
    if (to < '2026-01-01') throw fail('data_unavailable', 'No data before 2026-01-01: widen or move the window.', { available_from: '2026-01-01', available_to: '2026-11-22' });
    ctx.dataAsOf(LAST_SYNC);
    return { opens: 40, clicks: 7 };
  },
});
const liveCount = defineTool({
  name: 'live_count',
  description: 'A live counter.',
  input: z.object({}),
  output: z.object({ count: z.number() }),
  freshness: 'live',
  handler: () => ({ count: 3 }),
});

let server: PolicyServer;
beforeAll(async () => {
  server = await startPolicyServer([getSubscriber, listSubscribers, report, liveCount], { clock: clock.now });
}, 60_000);
afterAll(() => server.close());

describe('B-POL-08 PII masking', () => {
  it('B-POL-08: masks emails as j***@example.com and other strings to their first letter', () => {
    expect(maskValue('jane.doe@example.com')).toBe('j***@example.com');
    expect(maskValue('Jane Doe')).toBe('J***');
    expect(maskValue('x')).toBe('***');
  });

  it('B-POL-08: PII is masked by default, and unmasked only with all three: the scope, include_sensitive and full_default', async () => {
    const acme = server.orgs.acme;
    const withPii = await server.key(server.users.alice, acme);
    const withoutPii = await server.key(server.users.alice, acme, ['mcp:read', 'mcp:write']);
    const unmasked = { id: 's1', email: 'jane.doe@example.com', name: 'Jane Doe', phone: '+1 555 0100', tags: ['vip'] };
    const masked = { id: 's1', email: 'j***@example.com', name: 'J***', phone: '+***', tags: ['vip'] };
    for (const mode of ['masked', 'full_default'] as const) {
      await server.gatehouse.settings.set(acme, { piiMode: mode });
      for (const [key, hasScope] of [
        [withPii, true],
        [withoutPii, false],
      ] as const) {
        for (const ask of [undefined, false, true]) {
          const r = await callTool(server, key, 'get_subscriber', { id: 's1', ...(ask === undefined ? {} : { include_sensitive: ask }) });
          const all = mode === 'full_default' && hasScope && ask === true;
          expect(r.out, `${mode} scope=${hasScope} ask=${ask}`).toEqual(all ? unmasked : masked);
          expect(JSON.stringify(r.body).includes('jane.doe@example.com'), `${mode} scope=${hasScope} ask=${ask}`).toBe(all);
        }
      }
    }
    await server.gatehouse.settings.set(acme, { piiMode: 'masked' });
  });

  it('B-POL-08: paths reach into arrays, and text that repeats the data is masked too', async () => {
    const key = await server.key(server.users.alice, server.orgs.acme);
    const r = await callTool(server, key, 'list_subscribers');
    expect(r.out).toEqual({ subscribers: [{ email: 'j***@example.com' }, { email: 'm***@example.org' }] });
    expect(r.body.result.content).toEqual([{ type: 'text', text: 'j***@example.com, m***@example.org' }]);
  });

  it('B-POL-08: a member, whose role does not grant the PII scope, never sees PII', async () => {
    await server.gatehouse.settings.set(server.orgs.acme, { piiMode: 'full_default' });
    const key = await server.key(server.users.bob, server.orgs.acme);
    const r = await callTool(server, key, 'get_subscriber', { id: 's1', include_sensitive: true });
    expect(r.out.email).toBe('j***@example.com');
    await server.gatehouse.settings.set(server.orgs.acme, { piiMode: 'masked' });
  });
});

describe('B-POL-09 data freshness and input errors', () => {
  it('B-POL-09: data results carry meta.data_as_of, reported by the handler or the time of a live read', async () => {
    const key = await server.key(server.more.victor, server.orgs.acme);
    const r = await callTool(server, key, 'campaign_report', { from: '2026-11-01', to: '2026-11-21' });
    expect(r.out).toEqual({ opens: 40, clicks: 7, meta: { data_as_of: LAST_SYNC } });
    const live = await callTool(server, key, 'live_count');
    expect(live.out).toEqual({ count: 3, meta: { data_as_of: new Date(clock.ms).toISOString() } });
  });

  it('B-POL-09: the official client accepts results with meta (the output schema says so)', async () => {
    const key = await server.key(server.more.victor, server.orgs.acme);
    const client = new Client({ name: 'oracle', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(server.mcpUrl), { requestInit: { headers: { authorization: `Bearer ${key}` } } }));
    try {
      const { tools } = await client.listTools();
      expect(tools.find((t) => t.name === 'campaign_report')?.outputSchema?.properties).toHaveProperty('meta');
      const result = await client.callTool({ name: 'campaign_report', arguments: { from: '2026-11-01', to: '2026-11-21' } });
      expect(result.structuredContent).toMatchObject({ meta: { data_as_of: LAST_SYNC } });
    } finally {
      await client.close();
    }
  });

  it('B-POL-09: a window with no data is data_unavailable, saying what is available', async () => {
    const key = await server.key(server.more.victor, server.orgs.acme);
    const r = await callTool(server, key, 'campaign_report', { from: '2025-01-01', to: '2025-02-01' });
    expect(r.out).toMatchObject({ code: 'data_unavailable', retryable: false, available_from: '2026-01-01', available_to: '2026-11-22' });
  });

  it('B-POL-09: validation errors name the failing field', async () => {
    const key = await server.key(server.more.victor, server.orgs.acme);
    expect((await callTool(server, key, 'campaign_report', { from: 'yesterday', to: '2026-11-21' })).out).toMatchObject({ code: 'invalid_input', field: 'from' });
    expect((await callTool(server, key, 'campaign_report', { from: '2026-11-01' })).out).toMatchObject({ code: 'invalid_input', field: 'to' });
    expect((await callTool(server, key, 'campaign_report', { from: '2026-11-21', to: '2026-11-01' })).out).toMatchObject({ code: 'invalid_input', field: 'from' });
  });
});
