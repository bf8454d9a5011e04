import type { OrganizationRow, UserRow } from '../../store/schema.js';
import type { AdminContext } from './admin-context.js';
import { emailOption, requiredString, roleOption, withArticle, type AdminSubcommand } from './admin-subcommand.js';

const OWNER = 'owner';

/** The user's current role in the organization, or a `not_a_member` refusal. */
async function currentRole(ctx: AdminContext, user: UserRow, org: OrganizationRow): Promise<string> {
  const role = await ctx.directory.roleIn(user.id, org.id);
  if (role === undefined) throw ctx.refuse('not_a_member', `${user.email} is not a member of ${org.slug} (gatehouse admin org show ${org.slug} lists its members).`);
  return role;
}

/** Refuses taking away the organization's only owner: someone must always be able to manage it. */
async function keepAnOwner(ctx: AdminContext, user: UserRow, org: OrganizationRow, doing: string): Promise<void> {
  const otherOwners = (await ctx.directory.membersOf(org.id)).filter((m) => m.role === OWNER && m.user.id !== user.id);
  if (otherOwners.length === 0) {
    throw ctx.refuse('last_owner', `Cannot ${doing}: ${user.email} is the last owner of ${org.slug}, and an organization always keeps an owner. Promote someone else to owner first (gatehouse admin member set-role --org ${org.slug} --email … --role owner).`);
  }
}

/** `gatehouse admin member set-role`: the new role rules the user's tokens and keys from their next call (B-TEN-01). */
export const memberSetRole: AdminSubcommand = {
  usage: 'member set-role --email E --org SLUG --role owner|admin|member|viewer',
  summary: "change a member's role in an organization (the last owner cannot be demoted)",
  options: { email: { type: 'string' }, org: { type: 'string' }, role: { type: 'string' } },
  prepare({ values }) {
    const email = emailOption(values);
    const orgRef = requiredString(values, 'org');
    const role = roleOption(values);

    return async (ctx) => {
      const user = await ctx.user(email);
      const org = await ctx.organization(orgRef);
      const previous = await currentRole(ctx, user, org);
      const result = { user: user.email, user_id: user.id, organization: org.slug, organization_id: org.id, previous_role: previous, role };
      if (previous === role) {
        ctx.print(`${user.email} is already ${withArticle(role)} of ${org.slug}; nothing changed.`, { ...result, changed: false });
        return;
      }
      if (previous === OWNER) await keepAnOwner(ctx, user, org, `make ${user.email} ${withArticle(role)}`);
      if (!(await ctx.directory.setRole(user.id, org.id, role))) throw ctx.refuse('not_a_member', `${user.email} is not a member of ${org.slug}.`);
      ctx.print(`${user.email} is now ${withArticle(role)} of ${org.slug} (was ${previous}).`, { ...result, changed: true });
    };
  },
};

/** `gatehouse admin member remove`: the user's tokens and keys for the organization stop working (the server re-checks membership). */
export const memberRemove: AdminSubcommand = {
  usage: 'member remove --email E --org SLUG',
  summary: 'remove a user from an organization (the last owner cannot be removed)',
  options: { email: { type: 'string' }, org: { type: 'string' } },
  prepare({ values }) {
    const email = emailOption(values);
    const orgRef = requiredString(values, 'org');

    return async (ctx) => {
      const user = await ctx.user(email);
      const org = await ctx.organization(orgRef);
      const role = await currentRole(ctx, user, org);
      if (role === OWNER) await keepAnOwner(ctx, user, org, `remove ${user.email}`);
      if (!(await ctx.directory.removeMember(user.id, org.id))) throw ctx.refuse('not_a_member', `${user.email} is not a member of ${org.slug}.`);
      ctx.print(`Removed ${user.email} (${role}) from ${org.slug}.`, { user: user.email, user_id: user.id, organization: org.slug, organization_id: org.id, previous_role: role });
    };
  },
};
