import type { ChangeNotices } from '../store/change-notices.js';
import type { Directory } from './directory.js';

/** One organization a user belongs to, with their role there. */
export interface Workspace {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly role: string;
}

/**
 * A user's organizations and roles, cached for `ttlMs` and dropped at once
 * when a membership notice names the user (role change, added, removed).
 */
export class MembershipCache {
  readonly #cache = new Map<string, { list: readonly Workspace[]; until: number }>();

  constructor(
    private readonly directory: Directory,
    private readonly ttlMs = 60_000,
    notices?: ChangeNotices,
    private readonly now: () => number = Date.now,
  ) {
    notices?.subscribe('membership', (userId) => this.#cache.delete(userId));
  }

  get(userId: string): readonly Workspace[] | Promise<readonly Workspace[]> {
    const hit = this.#cache.get(userId);
    if (hit !== undefined && hit.until > this.now()) return hit.list;
    return this.directory.membershipsOf(userId).then((rows) => {
      const list = rows.map((m) => ({ id: m.organization.id, slug: m.organization.slug, name: m.organization.name, role: m.role }));
      this.#cache.set(userId, { list, until: this.now() + this.ttlMs });
      return list;
    });
  }
}
