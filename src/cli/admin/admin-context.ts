import { SqlAuditLog } from '../../audit/sql-audit-log.js';
import { ApiKeyStore } from '../../auth/api-keys/api-key-store.js';
import { ConfigurationError } from '../../errors/configuration-error.js';
import { createLogger } from '../../log/create-logger.js';
import { resolveServerSecret } from '../../server/secret.js';
import { openDatabase, type Database } from '../../store/database.js';
import { SqlChangeNotices } from '../../store/change-notices.js';
import { migrateToLatest } from '../../store/migrate.js';
import { gatehouseMigrations } from '../../store/migrations/index.js';
import type { GatehouseSchema, OrganizationRow, UserRow } from '../../store/schema.js';
import { storeConfigSchema } from '../../store/store-config.js';
import { Directory } from '../../tenancy/directory.js';
import { DEFAULT_ACCESS_MODEL, type AccessModel } from '../../tenancy/roles.js';
import { CliRefusal } from '../cli-error.js';
import { cliStore } from '../cli-store.js';

/** What every admin subcommand works with: the directory and API keys of one store, opened and migrated. */
export interface AdminContext {
  readonly directory: Directory;
  readonly database: Database<GatehouseSchema>;
  /** Roles and scopes the CLI checks against: the default access model (owner, admin, member, viewer). */
  readonly access: AccessModel;
  readonly json: boolean;
  /** The store's audit log: key creation and revocation are recorded as the server records them, and written before exit (B-OPS-02). */
  readonly audit: SqlAuditLog;
  /** API keys hashed exactly as the server hashes them (same secret, same derivation inside ApiKeyStore). */
  apiKeys(prefix?: string): ApiKeyStore;
  /** A refusal carrying this invocation's `--json` choice. */
  refuse(code: string, message: string): CliRefusal;
  /** Writes the plain lines, or the JSON value, to stdout. */
  print(plain: string, json: unknown): void;
  /** The user with this email, or a refusal. */
  user(email: string): Promise<UserRow>;
  /** The organization with this slug (or id), or a refusal. */
  organization(slugOrId: string): Promise<OrganizationRow>;
  close(): Promise<void>;
}

/** Opens the store the server uses (see cliStore), brings it up to date, and resolves the server secret lazily. */
export async function openAdminContext(options: { readonly data: string; readonly json: boolean }): Promise<AdminContext> {
  const { json } = options;
  const refuse = (code: string, message: string) => new CliRefusal(code, message, json);
  const target = cliStore(options.data);
  const parsed = storeConfigSchema.safeParse(target.store);
  if (!parsed.success) throw refuse('invalid_database_url', 'DATABASE_URL must be a postgres:// URL.');
  // Resolve the secret first: a missing GATEHOUSE_SECRET is refused before connecting anywhere.
  let secret: string;
  try {
    secret = resolveServerSecret(target);
  } catch (err) {
    if (!(err instanceof ConfigurationError)) throw err;
    throw refuse('secret_required', `GATEHOUSE_SECRET: ${err.message.replace(/^secret: /, '')}. Use the same value as the servers, or API keys will not verify.`);
  }
  const database = openDatabase<GatehouseSchema>(target.store);
  try {
    await migrateToLatest(database.db, gatehouseMigrations);
  } catch (err) {
    await database.close();
    throw refuse('store_unavailable', `Cannot open the store (${target.label}): ${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}`);
  }
  // Changes are announced through the store, so running servers drop their cached plans and roles
  // within a second. Publishing is only an insert: nothing here polls (no start()).
  const directory = new Directory(database.db, undefined, Date.now, new SqlChangeNotices(database.db));
  // Retention is the servers' job (sweepEveryMs 0); a write failure is reported on stderr.
  const audit = new SqlAuditLog(database.db, { sweepEveryMs: 0, logger: createLogger({ level: 'warn', destination: process.stderr }) });

  return {
    directory,
    database,
    access: DEFAULT_ACCESS_MODEL,
    json,
    audit,
    apiKeys: (prefix = 'gh') => new ApiKeyStore(database.db, secret, prefix, Date.now, audit),
    refuse,
    print(plain, value) {
      process.stdout.write(json ? `${JSON.stringify(value, null, 2)}\n` : `${plain}\n`);
    },
    async user(email) {
      const user = await directory.findUserByEmail(email);
      if (user === undefined) throw refuse('user_not_found', `No user with email ${email.trim().toLowerCase()}.`);
      return user;
    },
    async organization(slugOrId) {
      const org = (await directory.findOrganizationBySlug(slugOrId)) ?? (await directory.getOrganization(slugOrId));
      if (org !== undefined) return org;
      const known = (await directory.listOrganizations()).map((o) => o.slug);
      throw refuse('organization_not_found', `No organization ${slugOrId}${known.length === 0 ? ' (there are none yet: gatehouse admin org add)' : ` (known: ${known.join(', ')})`}.`);
    },
    async close() {
      await audit.close();
      await database.close();
    },
  };
}

/** Epoch ms as an ISO timestamp, null kept. */
export function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
