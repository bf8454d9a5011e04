import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { gatehouseMigrations } from '../../src/store/migrations/index.js';
import type { GatehouseSchema } from '../../src/store/schema.js';
import { SqlSessionStore } from '../../src/store/sql-session-store.js';
import { createTestDatabase } from '../helpers/postgres.js';

const pgdb = await createTestDatabase();
const sqliteFile = join(mkdtempSync(join(tmpdir(), 'gatehouse-store-')), 'store.sqlite');
const dialects: [string, () => Database<GatehouseSchema>][] = [['sqlite', () => openDatabase<GatehouseSchema>({ kind: 'sqlite', file: sqliteFile })]];
if (pgdb !== undefined) dialects.push(['postgres', () => openDatabase<GatehouseSchema>({ kind: 'postgres', url: pgdb.url })]);
else it.skip('PostgreSQL store (skipped: no PostgreSQL at TEST_POSTGRES_URL / 127.0.0.1:5432; set REQUIRE_SERVICES=1 to fail instead)', () => {});
afterAll(() => pgdb?.drop());

describe.each(dialects)('store on %s', (_name, open) => {
  let database: Database<GatehouseSchema>;
  beforeAll(async () => {
    database = open();
    await migrateToLatest(database.db as never, gatehouseMigrations);
  });
  afterAll(() => database.close());

  it('B-SRV-01: migrations run once; running them again changes nothing', async () => {
    expect(await migrateToLatest(database.db as never, gatehouseMigrations)).toEqual([]);
  });

  it('B-SRV-01: two instances migrating one fresh store at once apply each migration exactly once', async () => {
    const [a, b] = [open(), open()];
    try {
      const tables = ['audit_log', 'idempotency_keys', 'connectors', 'change_notices', 'profiles', 'api_keys', 'signing_keys', 'oauth_clients', 'oauth_grants', 'oidc_payloads', 'memberships', 'organizations', 'user_identities', 'users', 'mcp_sessions'];
      for (const t of [...tables, 'gatehouse_migrations', 'gatehouse_migrations_lock']) await a.db.schema.dropTable(t).ifExists().execute();
      const runs = await Promise.all([migrateToLatest(a.db, gatehouseMigrations), migrateToLatest(b.db, gatehouseMigrations)]);
      expect(runs.flat()).toEqual(Object.keys(gatehouseMigrations.migrations));
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('B-SRV-01: a session is stored hashed, bound to its credential, and forgotten when idle', async () => {
    let now = 1_000_000;
    const store = new SqlSessionStore(database.db, 60_000, () => now);
    const session = await store.create({ credentialId: 'cred-a', protocolVersion: '2025-11-25', clientInfo: { name: 'c', version: '1' }, clientCapabilities: { elicitation: {} } });
    const rows = await database.db.selectFrom('mcp_sessions').selectAll().execute();
    expect(rows.some((r) => r.id_hash === session.id)).toBe(false);
    expect(await store.get(session.id, 'cred-b')).toBeUndefined();
    await store.setLogLevel(session.id, 'debug');
    const reader = new SqlSessionStore(database.db, 60_000, () => now);
    expect(await reader.get(session.id, 'cred-a')).toMatchObject({ protocolVersion: '2025-11-25', clientCapabilities: { elicitation: {} }, logLevel: 'debug' });
    now += 120_000;
    expect(await reader.get(session.id, 'cred-a')).toBeUndefined();
    expect(await reader.sweep()).toBeGreaterThanOrEqual(1);
  });
});

describe.skipIf(pgdb === undefined)('store on postgres: dropped connections', () => {
  it('B-SRV-01: PostgreSQL terminating an idle pooled connection neither crashes the process nor fails the next query', async () => {
    const database = openDatabase<GatehouseSchema>({ kind: 'postgres', url: pgdb!.url });
    try {
      const { sql } = await import('kysely');
      const pid = (await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(database.db)).rows[0]!.pid;
      const killer = openDatabase({ kind: 'postgres', url: pgdb!.url });
      try {
        expect((await sql<{ t: boolean }>`select pg_terminate_backend(${pid}) as t`.execute(killer.db)).rows[0]!.t).toBe(true);
      } finally {
        await killer.close();
      }
      await new Promise((r) => setTimeout(r, 200)); // let the pool notice the drop and emit 'error'
      expect((await sql<{ one: number }>`select 1 as one`.execute(database.db)).rows[0]!.one).toBe(1);
    } finally {
      await database.close();
    }
  });
});
