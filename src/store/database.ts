import { chmodSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { storeConfigSchema, type StoreConfig } from './store-config.js';

// BIGINT columns hold epoch milliseconds, which fit a JS number exactly.
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

export type Dialect = 'sqlite' | 'postgres';

/** An open database: the Kysely handle, which dialect it speaks, and how to close it. */
export interface Database<Schema = unknown> {
  readonly db: Kysely<Schema>;
  readonly dialect: Dialect;
  close(): Promise<void>;
}

/**
 * Opens the store. SQLite runs in WAL mode with foreign keys on and a busy
 * timeout, so a second process (the CLI beside a running server) waits instead
 * of failing; PostgreSQL gets a bounded pool.
 */
export function openDatabase<Schema = unknown>(config: StoreConfig): Database<Schema> {
  const parsed = storeConfigSchema.parse(config);
  if (parsed.kind === 'sqlite') {
    const onDisk = parsed.file !== ':memory:';
    // The file holds sessions and product data: readable by its owner only.
    if (onDisk) mkdirSync(dirname(parsed.file), { recursive: true, mode: 0o700 });
    const sqlite = new SQLite(parsed.file);
    if (onDisk) chmodSync(parsed.file, 0o600);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: sqlite }) });
    return { db, dialect: 'sqlite', close: () => db.destroy() };
  }
  const pool = new pg.Pool({ connectionString: parsed.url, max: parsed.poolSize });
  // An idle connection that the server drops (restart, failover, admin kill) emits
  // 'error' on the pool; unhandled, that would crash the process. The pool discards
  // the connection and the next query opens a fresh one, so there is nothing to do.
  pool.on('error', () => undefined);
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  return { db, dialect: 'postgres', close: () => db.destroy() };
}
