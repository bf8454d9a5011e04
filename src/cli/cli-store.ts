import { resolve } from 'node:path';
import type { StoreConfig } from '../store/store-config.js';

/** Where a CLI command finds Gatehouse's data, and the secret the server uses with it. */
export interface CliStore {
  readonly store: StoreConfig;
  /** `GATEHOUSE_SECRET` when set; otherwise resolveServerSecret falls back to the file beside a SQLite store. */
  readonly secret: string | undefined;
  /** For messages: the SQLite path or the PostgreSQL host/database (never the password). */
  readonly label: string;
}

/**
 * The commands' shared rule: `DATABASE_URL` (postgres://…) when set, else the
 * SQLite file `<data>/gatehouse.sqlite`; the secret from `GATEHOUSE_SECRET`.
 */
export function cliStore(dataDir: string, env: NodeJS.ProcessEnv = process.env): CliStore {
  const secret = env.GATEHOUSE_SECRET === undefined || env.GATEHOUSE_SECRET === '' ? undefined : env.GATEHOUSE_SECRET;
  const url = env.DATABASE_URL;
  if (url !== undefined && url !== '') {
    let label = 'DATABASE_URL';
    try {
      const parsed = new URL(url);
      label = `postgres ${parsed.host}${parsed.pathname}`;
    } catch {
      // An unparsable URL is reported by the store's own validation.
    }
    return { store: { kind: 'postgres', url }, secret, label };
  }
  const file = resolve(dataDir, 'gatehouse.sqlite');
  return { store: { kind: 'sqlite', file }, secret, label: file };
}
