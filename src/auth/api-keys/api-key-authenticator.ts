import { GatehouseError } from '../../errors/gatehouse-error.js';
import type { Directory } from '../../tenancy/directory.js';
import { scopesOfRole, type AccessModel } from '../../tenancy/roles.js';
import { bearerToken, type AuthResult, type Authenticator } from '../authenticator.js';
import type { Principal } from '../principal.js';
import type { ApiKeyStore } from './api-key-store.js';

interface CachedKey {
  readonly principal: Principal;
  readonly keyId: string;
  readonly until: number;
  checkedAt: number;
}

export interface ApiKeyCacheOptions {
  /** How long a verified key is served from memory at most, ms. Default 30 000. */
  readonly cacheMs: number;
  /** After this long a cached key is re-checked in the background (revoked elsewhere? role changed?), ms. Default 5 000. */
  readonly revalidateMs: number;
}

/**
 * Authenticates `Bearer <prefix>_…` API keys. The key's scopes are narrowed
 * to what its owner's role grants now, so a demoted user's keys lose power
 * too. Verified keys are served from memory, so the hot path does no I/O;
 * a cached key is re-checked against the store in the background every few
 * seconds, so a revocation or role change made by another process (the admin
 * CLI, another instance) takes effect about `revalidateMs` later. A revocation in
 * this process takes effect at once (`forget`).
 */
export class ApiKeyAuthenticator implements Authenticator {
  readonly #cache = new Map<string, CachedKey>();
  readonly #touched = new Map<string, number>();
  readonly #revalidating = new Set<string>();

  constructor(
    private readonly keys: ApiKeyStore,
    private readonly directory: Directory,
    private readonly access: AccessModel,
    private readonly options: ApiKeyCacheOptions = { cacheMs: 30_000, revalidateMs: 5_000 },
    private readonly now: () => number = Date.now,
  ) {}

  authenticate(authorization: string | null): AuthResult | Promise<AuthResult> {
    const token = bearerToken(authorization);
    if (token === undefined) return new GatehouseError('auth_required');
    const hit = this.#cache.get(token);
    const at = this.now();
    if (hit !== undefined && hit.until > at) {
      this.#recordUse(hit.keyId);
      if (at - hit.checkedAt > this.options.revalidateMs) this.#revalidate(token, hit);
      return hit.principal;
    }
    return this.#verify(token);
  }

  challenge(): string {
    return 'Bearer realm="mcp"';
  }

  /** Forgets cached verifications (after a revoke or a role change). */
  forget(keyId?: string): void {
    for (const [token, entry] of this.#cache) if (keyId === undefined || entry.keyId === keyId) this.#cache.delete(token);
  }

  /** Re-checks a cached key off the request path; a key that no longer verifies is dropped. */
  #revalidate(token: string, entry: CachedKey): void {
    if (this.#revalidating.has(token)) return;
    this.#revalidating.add(token);
    entry.checkedAt = this.now();
    // Meanwhile requests keep the cached answer; #verify re-caches a key that still verifies, with its current scopes.
    this.#verify(token)
      .then((result) => {
        if (result instanceof GatehouseError) this.#cache.delete(token);
      })
      .catch(() => undefined) // the store is unreachable: keep serving what we verified until `cacheMs`
      .finally(() => this.#revalidating.delete(token));
  }

  async #verify(token: string): Promise<AuthResult> {
    const row = await this.keys.findLive(token);
    if (row === undefined) return new GatehouseError('invalid_api_key');
    const user = await this.directory.getUser(row.user_id);
    if (user === undefined) return new GatehouseError('invalid_api_key');
    const role = row.organization_id === null ? undefined : await this.directory.roleIn(user.id, row.organization_id);
    // A key bound to an organization the user has left is dead.
    if (row.organization_id !== null && role === undefined) return new GatehouseError('invalid_api_key');
    const allowed = new Set(scopesOfRole(this.access, role));
    const principal: Principal = {
      kind: 'api_key',
      credentialId: `key:${row.id}`,
      userId: user.id,
      email: user.email,
      organizationId: row.organization_id,
      ...(role === undefined ? {} : { role }),
      scopes: new Set(row.scopes.split(' ').filter((s) => s !== '' && (role === undefined || allowed.has(s)))),
      ...(row.expires_at === null ? {} : { expiresAt: Math.floor(row.expires_at / 1000) }),
    };
    const until = Math.min(this.now() + this.options.cacheMs, row.expires_at ?? Number.POSITIVE_INFINITY);
    this.#cache.set(token, { principal, keyId: row.id, until, checkedAt: this.now() });
    this.#recordUse(row.id);
    return principal;
  }

  /** Records last use at most once a minute per key, off the request path. */
  #recordUse(keyId: string): void {
    const at = this.now();
    if ((this.#touched.get(keyId) ?? 0) > at - 60_000) return;
    this.#touched.set(keyId, at);
    void this.keys.touch(keyId).catch(() => this.#touched.delete(keyId));
  }
}
