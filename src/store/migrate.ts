import { Migrator, type Kysely, type Migration } from 'kysely';

/** A named, ordered set of migrations with its own bookkeeping table. */
export interface MigrationSet {
  /** Bookkeeping table, distinct per set so products can keep their own migrations beside Gatehouse's. */
  readonly table: string;
  readonly migrations: Readonly<Record<string, Migration>>;
}

/**
 * Brings the schema up to date. On PostgreSQL Kysely's migrator holds an
 * advisory lock; SQLite has none, so when two processes race (a server and
 * the admin CLI starting together) the loser's transaction rolls back and it
 * simply looks again, finding the work done.
 */
// Kysely<any>: a migrator works on any schema, and Kysely's generics are invariant.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function migrateToLatest(db: Kysely<any>, set: MigrationSet, attempts = 3): Promise<readonly string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve({ ...set.migrations }) },
    migrationTableName: set.table,
    migrationLockTableName: `${set.table}_lock`,
  });
  for (let attempt = 1; ; attempt++) {
    const { error, results } = await migrator.migrateToLatest();
    if (error === undefined) return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
    if (attempt >= attempts) {
      const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
      throw new Error(`Migration ${failed} of ${set.table} failed`, { cause: error });
    }
    await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
  }
}
