import { createHmac, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { discardAudit, type AuditLog } from '../../audit/audit-log.js';
import type { ApiKeyRow, GatehouseSchema } from '../../store/schema.js';
import { newId } from '../../tenancy/ids.js';

export interface CreatedApiKey {
  /** The key itself. Shown once; only its keyed hash is stored. */
  readonly key: string;
  readonly row: ApiKeyRow;
}

/**
 * API keys (B-AUTH-10): `<prefix>_<43 random characters>`, stored as an
 * HMAC-SHA256 under a key derived from the server secret, so a leaked
 * database does not yield usable keys and lookups stay one index probe.
 * Creating and revoking are audited (B-OPS-02) by id, never the key.
 */
export class ApiKeyStore {
  readonly #hmacKey: Buffer;

  constructor(
    private readonly db: Kysely<GatehouseSchema>,
    serverSecret: string,
    readonly prefix: string,
    private readonly now: () => number = Date.now,
    private readonly audit: AuditLog = discardAudit,
  ) {
    this.#hmacKey = createHmac('sha256', serverSecret).update('api-keys').digest();
  }

  hash(key: string): string {
    return createHmac('sha256', this.#hmacKey).update(key).digest('hex');
  }

  /** Whether a bearer token has the shape of one of our keys (it may still be unknown). */
  looksLikeKey(token: string): boolean {
    return token.startsWith(`${this.prefix}_`);
  }

  async create(input: {
    userId: string;
    organizationId: string | null;
    name: string;
    scopes: readonly string[];
    expiresAt?: number | null;
    /** Who asked, for the audit log: `cli`, `dashboard`, … */
    via?: string;
  }): Promise<CreatedApiKey> {
    const key = `${this.prefix}_${randomBytes(32).toString('base64url')}`;
    const row: ApiKeyRow = {
      id: newId('key'),
      secret_hash: this.hash(key),
      display: `${key.slice(0, this.prefix.length + 7)}…`,
      name: input.name,
      user_id: input.userId,
      organization_id: input.organizationId,
      scopes: input.scopes.join(' '),
      created_at: this.now(),
      expires_at: input.expiresAt ?? null,
      revoked_at: null,
      last_used_at: null,
    };
    await this.db.insertInto('api_keys').values(row).execute();
    this.audit.record({
      kind: 'key_created',
      outcome: 'ok',
      userId: row.user_id,
      organizationId: row.organization_id,
      credentialId: `key:${row.id}`,
      detail: { scopes: row.scopes, expires_at: row.expires_at, ...(input.via === undefined ? {} : { via: input.via }) },
    });
    return { key, row };
  }

  /** The live key a bearer token names: not revoked and not expired. */
  async findLive(key: string): Promise<ApiKeyRow | undefined> {
    const row = await this.db.selectFrom('api_keys').selectAll().where('secret_hash', '=', this.hash(key)).executeTakeFirst();
    if (row === undefined || row.revoked_at !== null) return undefined;
    if (row.expires_at !== null && row.expires_at <= this.now()) return undefined;
    return row;
  }

  list(filter: { userId?: string; organizationId?: string } = {}): Promise<ApiKeyRow[]> {
    let q = this.db.selectFrom('api_keys').selectAll().orderBy('created_at', 'desc');
    if (filter.userId !== undefined) q = q.where('user_id', '=', filter.userId);
    if (filter.organizationId !== undefined) q = q.where('organization_id', '=', filter.organizationId);
    return q.execute();
  }

  get(id: string): Promise<ApiKeyRow | undefined> {
    return this.db.selectFrom('api_keys').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Revokes a live key; false when it is unknown or was revoked already (then nothing is audited). */
  async revoke(id: string, via?: string): Promise<boolean> {
    const revoked = await this.db
      .updateTable('api_keys')
      .set({ revoked_at: this.now() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .returning(['user_id', 'organization_id'])
      .executeTakeFirst();
    if (revoked === undefined) return false;
    this.audit.record({
      kind: 'key_revoked',
      outcome: 'ok',
      userId: revoked.user_id,
      organizationId: revoked.organization_id,
      credentialId: `key:${id}`,
      ...(via === undefined ? {} : { detail: { via } }),
    });
    return true;
  }

  async touch(id: string): Promise<void> {
    await this.db.updateTable('api_keys').set({ last_used_at: this.now() }).where('id', '=', id).execute();
  }
}

/** Parses `30d`, `12h`, `45m` or `90s` into milliseconds. */
export function parseDuration(text: string): number | undefined {
  const m = /^(\d+)\s*([smhd])$/.exec(text.trim());
  if (m === null) return undefined;
  const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] as 's' | 'm' | 'h' | 'd'];
  return Number(m[1]) * unit;
}
