import type { Kysely } from 'kysely';
import type { GatehouseSchema, OAuthGrantRow } from '../../store/schema.js';

/**
 * Our index of OAuth grants: one row per sign-in from a client, i.e. one
 * refresh-token family (B-AUTH-09). It records what oidc-provider cannot
 * keep on a grant (the organization chosen at consent), serves the session
 * list, and remembers revocations so access tokens of a revoked family stop
 * working at once instead of at expiry.
 */
export class GrantStore {
  readonly #cache = new Map<string, OAuthGrantRow>();
  readonly #revoked = new Map<string, number>();
  readonly #touched = new Map<string, number>();

  constructor(
    private readonly db: Kysely<GatehouseSchema>,
    /** Revocations are kept in memory this long: after it, every token of the family has expired anyway. */
    private readonly accessTokenTtlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Loads recent revocations, so a restart does not revive tokens of revoked families. */
  async load(): Promise<void> {
    const since = this.now() - this.accessTokenTtlMs;
    const rows = await this.db.selectFrom('oauth_grants').select(['grant_id', 'revoked_at']).where('revoked_at', '>', since).execute();
    for (const r of rows) this.#revoked.set(r.grant_id, r.revoked_at as number);
  }

  async record(row: Omit<OAuthGrantRow, 'created_at' | 'last_used_at' | 'revoked_at'>): Promise<void> {
    const at = this.now();
    const full: OAuthGrantRow = { ...row, created_at: at, last_used_at: at, revoked_at: null };
    await this.db.insertInto('oauth_grants').values(full).execute();
    this.#cache.set(row.grant_id, full);
  }

  async get(grantId: string): Promise<OAuthGrantRow | undefined> {
    const cached = this.#cache.get(grantId);
    if (cached !== undefined) return cached;
    const row = await this.db.selectFrom('oauth_grants').selectAll().where('grant_id', '=', grantId).executeTakeFirst();
    if (row !== undefined) this.#cache.set(grantId, row);
    return row;
  }

  /** Records use at most once a minute per grant. */
  async touch(grantId: string): Promise<void> {
    const at = this.now();
    if ((this.#touched.get(grantId) ?? 0) > at - 60_000) return;
    this.#touched.set(grantId, at);
    await this.db.updateTable('oauth_grants').set({ last_used_at: at }).where('grant_id', '=', grantId).execute();
  }

  async markRevoked(grantIds: readonly string[]): Promise<void> {
    if (grantIds.length === 0) return;
    const at = this.now();
    for (const id of grantIds) {
      this.#revoked.set(id, at);
      this.#cache.delete(id);
    }
    await this.db.updateTable('oauth_grants').set({ revoked_at: at }).where('grant_id', 'in', grantIds).where('revoked_at', 'is', null).execute();
  }

  /** Whether tokens of this family must be refused (checked on every request: a map lookup). */
  isRevoked(grantId: string): boolean {
    const at = this.#revoked.get(grantId);
    if (at === undefined) return false;
    if (at < this.now() - this.accessTokenTtlMs - 60_000) {
      this.#revoked.delete(grantId);
      return false;
    }
    return true;
  }

  /** The user's live sign-ins, newest first. */
  listActive(userId: string): Promise<OAuthGrantRow[]> {
    return this.db.selectFrom('oauth_grants').selectAll().where('user_id', '=', userId).where('revoked_at', 'is', null).orderBy('created_at', 'desc').execute();
  }
}
