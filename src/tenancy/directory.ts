import type { Kysely } from 'kysely';
import { hashPassword, passwordProblem, verifyPassword } from './password.js';
import { GatehouseError } from '../errors/gatehouse-error.js';
import type { ChangeNotices } from '../store/change-notices.js';
import type { GatehouseSchema, OrganizationRow, ProfileRow, UserRow } from '../store/schema.js';
import { newId } from './ids.js';

export interface Membership {
  readonly organization: OrganizationRow;
  readonly role: string;
}

export type SignInResult =
  | { readonly ok: true; readonly user: UserRow }
  | { readonly ok: false; readonly reason: 'invalid' }
  | { readonly ok: false; readonly reason: 'locked'; readonly until: number };

/** Lockout policy for password sign-in. */
export interface LockoutPolicy {
  /** Consecutive failures that lock the account. Default 5. */
  readonly maxFailures: number;
  /** How long a locked account stays locked, ms. Default 15 minutes. */
  readonly lockMs: number;
}

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

/** Users, organizations and memberships: the tenancy data every credential resolves against. */
export class Directory {
  constructor(
    private readonly db: Kysely<GatehouseSchema>,
    private readonly lockout: LockoutPolicy = { maxFailures: 5, lockMs: 15 * 60_000 },
    private readonly now: () => number = Date.now,
    /** Where changes to plans and memberships are announced, so every process drops its caches. */
    private readonly notices?: ChangeNotices,
  ) {}

  async createUser(input: { email: string; name?: string; password?: string; id?: string }): Promise<UserRow> {
    const email = normalizeEmail(input.email);
    if (await this.findUserByEmail(email)) throw new GatehouseError('invalid_input', { message: `A user with email ${email} already exists`, details: { field: 'email' } });
    if (input.password !== undefined) checkPassword(input.password);
    const at = this.now();
    const row: UserRow = {
      id: input.id ?? newId('usr'),
      email,
      name: input.name ?? null,
      password_hash: input.password === undefined ? null : await hashPassword(input.password),
      failed_logins: 0,
      locked_until: null,
      created_at: at,
      updated_at: at,
    };
    await this.db.insertInto('users').values(row).execute();
    return row;
  }

  findUserByEmail(email: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('email', '=', normalizeEmail(email)).executeTakeFirst();
  }

  getUser(id: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async setPassword(userId: string, password: string): Promise<void> {
    checkPassword(password);
    await this.db
      .updateTable('users')
      .set({ password_hash: await hashPassword(password), failed_logins: 0, locked_until: null, updated_at: this.now() })
      .where('id', '=', userId)
      .execute();
  }

  /**
   * Password sign-in with lockout. Unknown emails cost a full hash too and
   * answer like a wrong password, so neither timing nor wording reveals which
   * accounts exist.
   */
  async signIn(email: string, password: string): Promise<SignInResult> {
    const user = await this.findUserByEmail(email);
    const at = this.now();
    if (user?.locked_until !== null && user?.locked_until !== undefined && user.locked_until > at) {
      await verifyPassword(password, undefined);
      return { ok: false, reason: 'locked', until: user.locked_until };
    }
    const valid = await verifyPassword(password, user?.password_hash);
    if (user === undefined) return { ok: false, reason: 'invalid' };
    if (valid) {
      if (user.failed_logins > 0 || user.locked_until !== null) {
        await this.db.updateTable('users').set({ failed_logins: 0, locked_until: null }).where('id', '=', user.id).execute();
      }
      return { ok: true, user };
    }
    const failures = user.failed_logins + 1;
    const locked = failures >= this.lockout.maxFailures;
    await this.db
      .updateTable('users')
      .set({ failed_logins: locked ? 0 : failures, locked_until: locked ? at + this.lockout.lockMs : null })
      .where('id', '=', user.id)
      .execute();
    return locked ? { ok: false, reason: 'locked', until: at + this.lockout.lockMs } : { ok: false, reason: 'invalid' };
  }

  async findUserByIdentity(provider: string, subject: string): Promise<UserRow | undefined> {
    const link = await this.db.selectFrom('user_identities').select('user_id').where('provider', '=', provider).where('subject', '=', subject).executeTakeFirst();
    return link === undefined ? undefined : this.getUser(link.user_id);
  }

  async linkIdentity(provider: string, subject: string, userId: string): Promise<void> {
    await this.db.insertInto('user_identities').values({ provider, subject, user_id: userId, created_at: this.now() }).execute();
  }

  async createOrganization(input: { slug: string; name: string; plan?: string | null; id?: string }): Promise<OrganizationRow> {
    if (!SLUG.test(input.slug)) {
      throw new GatehouseError('invalid_input', { message: 'slug must be 1–64 lower-case letters, digits or hyphens', details: { field: 'slug' } });
    }
    if (await this.findOrganizationBySlug(input.slug)) {
      throw new GatehouseError('invalid_input', { message: `An organization with slug ${input.slug} already exists`, details: { field: 'slug' } });
    }
    const at = this.now();
    const row: OrganizationRow = { id: input.id ?? newId('org'), slug: input.slug, name: input.name, plan: input.plan ?? null, plan_changed_at: null, writeback_enabled: 0, pii_mode: 'masked', created_at: at, updated_at: at };
    await this.db.insertInto('organizations').values(row).execute();
    return row;
  }

  getOrganization(id: string): Promise<OrganizationRow | undefined> {
    return this.db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findOrganizationBySlug(slug: string): Promise<OrganizationRow | undefined> {
    return this.db.selectFrom('organizations').selectAll().where('slug', '=', slug).executeTakeFirst();
  }

  listOrganizations(): Promise<OrganizationRow[]> {
    return this.db.selectFrom('organizations').selectAll().orderBy('slug').execute();
  }

  /**
   * Changes an organization's plan and tells every process at once (B-PLAN-02).
   * Returns false for an unknown organization.
   */
  async setPlan(organizationId: string, plan: string | null): Promise<boolean> {
    const at = this.now();
    const result = await this.db.updateTable('organizations').set({ plan, plan_changed_at: at, updated_at: at }).where('id', '=', organizationId).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return false;
    await this.notices?.publish('plan', organizationId);
    return true;
  }

  async addMember(userId: string, organizationId: string, role: string): Promise<void> {
    const at = this.now();
    await this.db.insertInto('memberships').values({ user_id: userId, organization_id: organizationId, role, created_at: at, updated_at: at }).execute();
    await this.notices?.publish('membership', userId);
  }

  async setRole(userId: string, organizationId: string, role: string): Promise<boolean> {
    const result = await this.db
      .updateTable('memberships')
      .set({ role, updated_at: this.now() })
      .where('user_id', '=', userId)
      .where('organization_id', '=', organizationId)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return false;
    await this.notices?.publish('membership', userId);
    return true;
  }

  async removeMember(userId: string, organizationId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('memberships').where('user_id', '=', userId).where('organization_id', '=', organizationId).executeTakeFirst();
    if (Number(result.numDeletedRows) === 0) return false;
    await this.notices?.publish('membership', userId);
    return true;
  }

  /** Members of an organization with their role, by email. */
  async membersOf(organizationId: string): Promise<{ user: UserRow; role: string }[]> {
    const rows = await this.db
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .selectAll('users')
      .select('memberships.role')
      .where('memberships.organization_id', '=', organizationId)
      .orderBy('users.email')
      .execute();
    return rows.map(({ role, ...user }) => ({ user, role }));
  }

  async createProfile(input: { organizationId: string; name: string; id?: string }): Promise<ProfileRow> {
    const row: ProfileRow = { id: input.id ?? newId('prf'), organization_id: input.organizationId, name: input.name, created_at: this.now() };
    await this.db.insertInto('profiles').values(row).execute();
    return row;
  }

  /** The profiles of one organization, by name; never another organization's. */
  listProfiles(organizationId: string): Promise<ProfileRow[]> {
    return this.db.selectFrom('profiles').selectAll().where('organization_id', '=', organizationId).orderBy('name').execute();
  }

  /** The user's organizations and role in each, by organization name. */
  async membershipsOf(userId: string): Promise<Membership[]> {
    const rows = await this.db
      .selectFrom('memberships')
      .innerJoin('organizations', 'organizations.id', 'memberships.organization_id')
      .selectAll('organizations')
      .select('memberships.role')
      .where('memberships.user_id', '=', userId)
      .orderBy('organizations.name')
      .execute();
    return rows.map(({ role, ...organization }) => ({ organization, role }));
  }

  async roleIn(userId: string, organizationId: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('memberships')
      .select('role')
      .where('user_id', '=', userId)
      .where('organization_id', '=', organizationId)
      .executeTakeFirst();
    return row?.role;
  }
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Every path that sets a password (CLI, product code, pages) holds it to the same rule. */
function checkPassword(password: string): void {
  const problem = passwordProblem(password);
  if (problem !== undefined) throw new GatehouseError('invalid_input', { message: problem, details: { field: 'password' } });
}
