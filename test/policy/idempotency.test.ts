import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineTool, fail, toolResult, text } from '../../src/index.js';
import { openDatabase } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { gatehouseMigrations } from '../../src/store/migrations/index.js';
import type { GatehouseSchema } from '../../src/store/schema.js';
import { IdempotencyStore } from '../../src/policy/idempotency-store.js';
import { modern, startServer, type TestServer } from '../helpers/harness.js';
import { createTestDatabase } from '../helpers/postgres.js';
import { Runs, TestClock } from './policy-server.js';

const errorOf = (json: any) => json.result.structuredContent;

function tools(runs: Runs) {
  let failNext = 0;
  return {
    setFailures: (n: number) => (failNext = n),
    list: [
      defineTool({
        name: 'send_campaign',
        description: 'Sends a campaign now.',
        input: z.object({ campaign_id: z.string(), audience: z.string().default('all') }),
        idempotent: true,
        handler: async ({ campaign_id, audience }) => {
          runs.hit('send_campaign');
          await sleep(150); // long enough for duplicates to arrive while it runs
          if (failNext > 0) {
            failNext -= 1;
            throw new Error('mail provider unavailable');
          }
          return { sent: campaign_id, audience, run: runs.count('send_campaign') };
        },
      }),
      defineTool({
        name: 'post_note',
        description: 'Posts a note; answers with explicit content.',
        input: z.object({ note: z.string() }),
        idempotent: true,
        handler: ({ note }) => {
          runs.hit('post_note');
          return toolResult({ content: [text(`posted ${note} #${runs.count('post_note')}`)] });
        },
      }),
      defineTool({
        name: 'rejects',
        description: 'Refuses with a catalogue error.',
        input: z.object({}),
        idempotent: true,
        handler: () => {
          runs.hit('rejects');
          throw fail('not_found', 'No such campaign', { resource: 'campaign' });
        },
      }),
    ],
  };
}

const call = (server: TestServer, name: string, args: Record<string, unknown>, headers?: Record<string, string>) =>
  modern(server.gatehouse, 'tools/call', { name, arguments: args }, headers === undefined ? {} : { headers });

describe('B-POL-03 idempotency', () => {
  const runs = new Runs();
  const clock = new TestClock();
  const t = tools(runs);
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ tools: t.list, clock: clock.now, policy: { idempotency: { ttlMs: 3_600_000 } } });
  });
  afterAll(() => server.close());

  it('B-POL-03: idempotent tools advertise idempotency_key; the handler never sees it', async () => {
    const r = await modern(server.gatehouse, 'tools/list');
    expect(r.json.result.tools.find((x: any) => x.name === 'send_campaign').inputSchema.properties.idempotency_key).toMatchObject({ type: 'string' });
  });

  it('B-POL-03: a repeated key returns the first result without running again', async () => {
    const a = await call(server, 'send_campaign', { campaign_id: 'c1', idempotency_key: 'k-1' });
    const b = await call(server, 'send_campaign', { campaign_id: 'c1', idempotency_key: 'k-1' });
    expect(a.json.result.structuredContent).toEqual({ sent: 'c1', audience: 'all', run: 1 });
    expect(b.json.result).toEqual(a.json.result);
    expect(runs.count('send_campaign')).toBe(1);
    // Argument order and defaults do not make a different operation.
    const c = await call(server, 'send_campaign', { audience: 'all', idempotency_key: 'k-1', campaign_id: 'c1' });
    expect(c.json.result.structuredContent.run).toBe(1);
  });

  it('B-POL-03: the same key with different arguments is idempotency_conflict, and nothing runs', async () => {
    const r = await call(server, 'send_campaign', { campaign_id: 'c2', idempotency_key: 'k-1' });
    expect(errorOf(r.json)).toMatchObject({ code: 'idempotency_conflict', retryable: false, idempotency_key: 'k-1' });
    expect(runs.count('send_campaign')).toBe(1);
  });

  it('B-POL-03: the Idempotency-Key header works like the argument; the two must agree', async () => {
    const a = await call(server, 'send_campaign', { campaign_id: 'c3' }, { 'idempotency-key': 'h-1' });
    const b = await call(server, 'send_campaign', { campaign_id: 'c3', idempotency_key: 'h-1' });
    expect(b.json.result).toEqual(a.json.result);
    const clash = await call(server, 'send_campaign', { campaign_id: 'c3', idempotency_key: 'h-2' }, { 'idempotency-key': 'h-1' });
    expect(errorOf(clash.json)).toMatchObject({ code: 'invalid_input', field: 'idempotency_key' });
    const bad = await call(server, 'send_campaign', { campaign_id: 'c3', idempotency_key: '' });
    expect(errorOf(bad.json)).toMatchObject({ code: 'invalid_input', field: 'idempotency_key' });
  });

  it('B-POL-03: concurrent duplicates run the handler once and all get its result', async () => {
    const before = runs.count('send_campaign');
    const replies = await Promise.all(Array.from({ length: 8 }, () => call(server, 'send_campaign', { campaign_id: 'c4', idempotency_key: 'burst' })));
    expect(runs.count('send_campaign')).toBe(before + 1);
    const results = replies.map((r) => JSON.stringify(r.json.result.structuredContent));
    expect(new Set(results).size).toBe(1);
    expect(replies[0]?.json.result.structuredContent).toMatchObject({ sent: 'c4' });
  });

  it('B-POL-03: a failed run lets the key go, so a retry with the same key runs and succeeds', async () => {
    t.setFailures(1);
    const before = runs.count('send_campaign');
    const failed = await call(server, 'send_campaign', { campaign_id: 'c5', idempotency_key: 'retry-me' });
    expect(errorOf(failed.json)).toMatchObject({ code: 'internal_error', retryable: true });
    const retried = await call(server, 'send_campaign', { campaign_id: 'c5', idempotency_key: 'retry-me' });
    expect(retried.json.result.structuredContent).toMatchObject({ sent: 'c5' });
    expect(runs.count('send_campaign')).toBe(before + 2);
    const rejected = await call(server, 'rejects', { idempotency_key: 'r' });
    const again = await call(server, 'rejects', { idempotency_key: 'r' });
    expect(errorOf(again.json)).toMatchObject({ code: 'not_found' });
    expect(errorOf(rejected.json)).toMatchObject({ code: 'not_found' });
    expect(runs.count('rejects')).toBe(2);
  });

  it('B-POL-03: explicit content results are replayed as they were', async () => {
    const a = await call(server, 'post_note', { note: 'hi', idempotency_key: 'n-1' });
    const b = await call(server, 'post_note', { note: 'hi', idempotency_key: 'n-1' });
    expect(a.json.result.content).toEqual([{ type: 'text', text: 'posted hi #1' }]);
    expect(b.json.result).toEqual(a.json.result);
  });

  it('B-POL-03: without a key every call runs', async () => {
    const before = runs.count('post_note');
    await call(server, 'post_note', { note: 'x' });
    await call(server, 'post_note', { note: 'x' });
    expect(runs.count('post_note')).toBe(before + 2);
  });

  it('B-POL-03: a key expires after its time to live (frozen clock) and then runs anew', async () => {
    const a = await call(server, 'send_campaign', { campaign_id: 'c6', idempotency_key: 'ttl' });
    clock.advance(3_600_000 - 1);
    const b = await call(server, 'send_campaign', { campaign_id: 'c6', idempotency_key: 'ttl' });
    expect(b.json.result).toEqual(a.json.result);
    clock.advance(1);
    const c = await call(server, 'send_campaign', { campaign_id: 'c6', idempotency_key: 'ttl' });
    expect(c.json.result.structuredContent.run).toBeGreaterThan(a.json.result.structuredContent.run);
  });
});

describe.each([
  ['sqlite', () => Promise.resolve({ config: { kind: 'sqlite' as const, file: ':memory:' }, drop: (): Promise<void> => Promise.resolve() })],
  [
    'postgres',
    async () => {
      const pg = await createTestDatabase();
      return pg === undefined ? undefined : { config: { kind: 'postgres' as const, url: pg.url }, drop: pg.drop };
    },
  ],
])('B-POL-03 idempotency store on %s', (_name, make) => {
  it('B-POL-03: of concurrent claims of one key exactly one wins; the others see it running, then its result', async () => {
    const made = await make();
    if (made === undefined) return;
    const database = openDatabase<GatehouseSchema>(made.config);
    try {
      await migrateToLatest(database.db, gatehouseMigrations);
      const store = new IdempotencyStore(database.db, { ttlMs: 60_000, abandonAfterMs: 30_000 });
      const claims = await Promise.all(Array.from({ length: 10 }, () => store.claim('scope-1', 'hash-a')));
      expect(claims.filter((c) => c.kind === 'claimed')).toHaveLength(1);
      expect(claims.filter((c) => c.kind === 'running')).toHaveLength(9);
      await store.complete('scope-1', '{"value":1}');
      expect(await store.claim('scope-1', 'hash-a')).toEqual({ kind: 'done', argsHash: 'hash-a', result: '{"value":1}' });
      expect(await store.claim('scope-1', 'hash-b')).toMatchObject({ kind: 'done', argsHash: 'hash-a' });
    } finally {
      await database.close();
      await made.drop();
    }
  });
});
