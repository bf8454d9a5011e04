import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Where the test PostgreSQL server is; CI and the dev machine run one on loopback. */
export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Creates a throw-away database for one test file and drops it afterwards.
 * Returns `undefined` (the caller skips, saying why) when no server answers,
 * unless REQUIRE_SERVICES=1, which turns absence into a failure.
 */
export async function createTestDatabase(): Promise<{ url: string; drop: () => Promise<void> } | undefined> {
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 2000 });
  try {
    await admin.connect();
  } catch (err) {
    if (process.env.REQUIRE_SERVICES === '1') throw new Error(`PostgreSQL is required (REQUIRE_SERVICES=1) but ${POSTGRES_ADMIN_URL} did not answer`, { cause: err });
    return undefined;
  }
  const name = `gatehouse_test_${randomBytes(6).toString('hex')}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}
