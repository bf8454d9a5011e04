import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { ValuesNode, type KyselyPlugin, type PluginTransformQueryArgs, type PluginTransformResultArgs, type QueryResult, type RootOperationNode, type UnknownRow } from 'kysely';
import { AuditQuery, createLogger, SqlAuditLog, type AuditEntry, type SqlAuditLogOptions } from '../../src/index.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { gatehouseMigrations } from '../../src/store/migrations/index.js';
import type { GatehouseSchema } from '../../src/store/schema.js';
import { createTestDatabase } from '../helpers/postgres.js';

/** Counts the audit log's inserts, and can make the store refuse them (an outage). */
class StoreProbe implements KyselyPlugin {
  inserts = 0;
  rowsPerInsert: number[] = [];
  down = false;

  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const node = args.node;
    if (node.kind === 'InsertQueryNode' && node.into?.table.identifier.name === 'audit_log') {
      if (this.down) throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
      this.inserts++;
      this.rowsPerInsert.push(node.values !== undefined && ValuesNode.is(node.values) ? node.values.values.length : -1);
    }
    return node;
  }

  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}

const entry = (n: number, extra: Partial<AuditEntry> = {}): AuditEntry => ({
  kind: 'tool_call',
  outcome: 'ok',
  userId: `usr_${n}`,
  organizationId: 'org_acme',
  clientId: 'mcp_client',
  credentialId: 'grant:g1',
  tool: 'list_campaigns',
  durationMs: 1.4,
  requestId: `req-${n}`,
  ...extra,
});

const pg = await createTestDatabase();
afterAll(async () => {
  await pg?.drop();
});

const stores: [string, (() => Database<GatehouseSchema>) | undefined][] = [
  ['SQLite', () => openDatabase<GatehouseSchema>({ kind: 'sqlite', file: ':memory:' })],
  ['PostgreSQL', pg === undefined ? undefined : () => openDatabase<GatehouseSchema>({ kind: 'postgres', url: pg.url })],
];

describe.each(stores)('the batched audit writer on %s', (name, open) => {
  let database: Database<GatehouseSchema>;
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) } });
  const opened: SqlAuditLog[] = [];
  let probe: StoreProbe;

  const auditLog = (options: SqlAuditLogOptions) => {
    const log = new SqlAuditLog(database.db.withPlugin(probe), { logger, sweepEveryMs: 0, ...options });
    opened.push(log);
    return log;
  };
  const rows = () => database.db.selectFrom('audit_log').selectAll().orderBy('id').execute();

  beforeAll(async () => {
    if (open === undefined) return;
    database = open();
    await migrateToLatest(database.db, gatehouseMigrations);
  });
  afterEach(async () => {
    for (const log of opened.splice(0)) await log.close();
    if (open !== undefined) await database.db.deleteFrom('audit_log').execute();
    logs.length = 0;
  });
  afterAll(async () => {
    if (open !== undefined) await database.close();
  });
  beforeEach(() => {
    probe = new StoreProbe();
  });

  it.skipIf(open === undefined)(`B-OPS-02: record only buffers; entries reach the store at the next flush interval, in one insert (${name})`, async () => {
    const log = auditLog({ flushMs: 300, batchSize: 500 });
    const started = Date.now();
    for (let i = 1; i <= 3; i++) log.record(entry(i));
    expect(log.buffered).toBe(3);
    expect(await rows()).toHaveLength(0);
    await vi.waitFor(async () => expect(await rows()).toHaveLength(3), { timeout: 3000, interval: 20 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(probe.inserts).toBe(1);
    expect(probe.rowsPerInsert).toEqual([3]);
    const [first] = await rows();
    // Whole milliseconds: the column is an integer.
    expect(first).toMatchObject({ kind: 'tool_call', outcome: 'ok', user_id: 'usr_1', organization_id: 'org_acme', client_id: 'mcp_client', credential_id: 'grant:g1', tool: 'list_campaigns', duration_ms: 1, request_id: 'req-1', detail: null });
  });

  it.skipIf(open === undefined)(`B-OPS-02: a full batch is written at once, one multi-row insert per batch; the rest waits for the timer (${name})`, async () => {
    const log = auditLog({ flushMs: 60_000, batchSize: 5 });
    for (let i = 1; i <= 12; i++) log.record(entry(i));
    await vi.waitFor(async () => expect(await rows()).toHaveLength(10), { timeout: 3000, interval: 10 });
    expect(probe.rowsPerInsert).toEqual([5, 5]);
    expect(log.buffered).toBe(2);
    await log.flush();
    expect(await rows()).toHaveLength(12);
    expect(probe.rowsPerInsert).toEqual([5, 5, 2]);
    // Ids sort by time, and within one process by order of recording.
    expect((await rows()).map((r) => r.request_id)).toEqual(Array.from({ length: 12 }, (_, i) => `req-${i + 1}`));
  });

  it.skipIf(open === undefined)(`B-OPS-02: while the store is down entries are kept up to maxBuffered, the oldest dropped and counted, then written on recovery (${name})`, async () => {
    probe.down = true;
    const log = auditLog({ flushMs: 20, batchSize: 500, maxBuffered: 100 });
    for (let i = 1; i <= 150; i++) log.record(entry(i));
    expect(log.buffered).toBe(100);
    await expect(log.flush()).rejects.toThrow(/ECONNREFUSED/);
    expect(log.buffered).toBe(100);
    await vi.waitFor(() => expect(logs.some((l) => l.msg === 'audit log buffer full: the oldest entries were dropped')).toBe(true), { timeout: 3000, interval: 10 });
    const dropped = logs.find((l) => l.msg === 'audit log buffer full: the oldest entries were dropped');
    expect(dropped).toMatchObject({ level: 40, dropped: 50, max_buffered: 100 });
    await vi.waitFor(() => expect(logs.some((l) => l.msg === 'audit log could not be written; entries are kept and retried')).toBe(true), { timeout: 3000, interval: 10 });
    // One warning per outage, however many ticks retry; counts and the error only, never an entry.
    await new Promise((r) => setTimeout(r, 100));
    expect(logs.filter((l) => l.msg === 'audit log could not be written; entries are kept and retried')).toHaveLength(1);
    expect(JSON.stringify(logs)).not.toMatch(/usr_|req-|org_acme|list_campaigns/);
    // Retries at every tick kept failing: nothing lost beyond the bound, nothing written.
    expect(log.buffered).toBe(100);
    expect(await rows()).toHaveLength(0);

    probe.down = false;
    await vi.waitFor(async () => expect(await rows()).toHaveLength(100), { timeout: 3000, interval: 10 });
    // The newest 100 survived.
    expect((await rows()).map((r) => r.user_id)).toEqual(Array.from({ length: 100 }, (_, i) => `usr_${i + 51}`));
    expect(logs.some((l) => l.msg === 'audit log writes again')).toBe(true);
  });

  it.skipIf(open === undefined)(`B-OPS-02: the retention sweep deletes entries older than retentionDays by the injected clock (${name})`, async () => {
    const day = 86_400_000;
    let clock = Date.UTC(2026, 0, 1);
    const log = auditLog({ retentionDays: 7, now: () => clock });
    log.record(entry(1));
    clock += 6 * day;
    log.record(entry(2));
    clock += 2 * day;
    log.record(entry(3));
    await log.flush();
    // Day 8: only the first (8 days old) is past 7 days.
    expect(await log.sweep()).toBe(1);
    expect((await rows()).map((r) => r.user_id)).toEqual(['usr_2', 'usr_3']);
    clock += 6 * day;
    expect(await log.sweep()).toBe(1);
    expect((await rows()).map((r) => r.user_id)).toEqual(['usr_3']);
    expect(await log.sweep()).toBe(0);
  });

  it.skipIf(open === undefined)(`B-OPS-02: record never throws and never blocks; values are cut to their columns so one entry cannot fail a batch (${name})`, async () => {
    const log = auditLog({ flushMs: 60_000 });
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => log.record({ ...entry(1), detail: circular as never })).not.toThrow();
    log.record(entry(2, { clientId: `https://client.example/${'x'.repeat(400)}\0`, tool: 't'.repeat(300), durationMs: Number.NaN, requestId: 'r'.repeat(100) }));
    await log.flush();
    const [row] = await rows();
    expect(row?.client_id).toHaveLength(200);
    expect(row?.tool).toHaveLength(128);
    expect(row?.request_id).toHaveLength(80);
    expect(row?.duration_ms).toBeNull();
    await log.close();
    log.record(entry(3));
    expect(log.buffered).toBe(0);
  });

  it.skipIf(open === undefined)(`B-OPS-02: the query API filters, reads newest first and pages with a cursor (${name})`, async () => {
    let clock = Date.UTC(2026, 4, 1, 12);
    const log = auditLog({ now: () => clock });
    for (let i = 1; i <= 7; i++) {
      clock += 1000;
      log.record(entry(i, { userId: i % 2 === 0 ? 'usr_even' : 'usr_odd', outcome: i === 3 ? 'insufficient_scope' : 'ok', tool: i === 5 ? 'send_campaign' : 'list_campaigns' }));
    }
    log.record({ kind: 'sign_in', outcome: 'ok', userId: 'usr_odd', clientId: 'mcp_client', detail: { method: 'password' } });
    await log.flush();
    const query = new AuditQuery(database.db);

    const first = await query.page({}, { limit: 3 });
    expect(first.entries.map((e) => e.requestId)).toEqual([null, 'req-7', 'req-6']);
    expect(first.entries[0]).toMatchObject({ kind: 'sign_in', detail: { method: 'password' }, tool: null, durationMs: null });
    const second = await query.page({}, { limit: 3, cursor: first.nextCursor! });
    expect(second.entries.map((e) => e.requestId)).toEqual(['req-5', 'req-4', 'req-3']);
    const third = await query.page({}, { limit: 3, cursor: second.nextCursor! });
    expect(third.entries.map((e) => e.requestId)).toEqual(['req-2', 'req-1']);
    expect(third.nextCursor).toBeUndefined();
    const oldest = await query.page({}, { limit: 2, order: 'oldest' });
    expect(oldest.entries.map((e) => e.requestId)).toEqual(['req-1', 'req-2']);
    expect((await query.page({}, { limit: 2, order: 'oldest', cursor: oldest.nextCursor! })).entries.map((e) => e.requestId)).toEqual(['req-3', 'req-4']);

    expect((await query.page({ userId: 'usr_even' })).entries.map((e) => e.requestId)).toEqual(['req-6', 'req-4', 'req-2']);
    expect((await query.page({ outcome: 'insufficient_scope' })).entries.map((e) => e.requestId)).toEqual(['req-3']);
    expect((await query.page({ tool: 'send_campaign' })).entries.map((e) => e.requestId)).toEqual(['req-5']);
    expect((await query.page({ kind: 'sign_in' })).entries).toHaveLength(1);
    expect((await query.page({ kind: ['sign_in', 'tool_call'], organizationId: 'org_acme' })).entries).toHaveLength(7);
    const start = Date.UTC(2026, 4, 1, 12);
    expect((await query.page({ from: start + 2000, to: start + 4000 })).entries.map((e) => e.requestId)).toEqual(['req-3', 'req-2']);
    const all: string[] = [];
    for await (const e of query.all({ userId: 'usr_odd' }, { order: 'oldest', limit: 2 })) all.push(e.requestId ?? e.kind);
    expect(all).toEqual(['req-1', 'req-3', 'req-5', 'req-7', 'sign_in']);
    await expect(query.page({}, { cursor: 'nope' })).rejects.toMatchObject({ code: 'invalid_input' });
    await expect(query.page({}, { limit: 0 })).rejects.toMatchObject({ code: 'invalid_input' });
  });
});
