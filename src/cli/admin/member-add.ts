import { emailOption, requiredString, roleOption, withArticle, type AdminSubcommand } from './admin-subcommand.js';

/** `gatehouse admin member add`: gives a user one role in one organization (B-TEN-01). */
export const memberAdd: AdminSubcommand = {
  usage: 'member add --email E --org SLUG --role owner|admin|member|viewer',
  summary: 'add a user to an organization with a role',
  options: { email: { type: 'string' }, org: { type: 'string' }, role: { type: 'string' } },
  prepare({ values }) {
    const email = emailOption(values);
    const orgRef = requiredString(values, 'org');
    const role = roleOption(values);

    return async (ctx) => {
      const user = await ctx.user(email);
      const org = await ctx.organization(orgRef);
      const current = await ctx.directory.roleIn(user.id, org.id);
      if (current !== undefined) throw ctx.refuse('already_member', `${user.email} is already ${withArticle(current)} of ${org.slug}.`);
      await ctx.directory.addMember(user.id, org.id, role);
      ctx.print(`Added ${user.email} to ${org.slug} as ${role}.`, { user: user.email, user_id: user.id, organization: org.slug, organization_id: org.id, role });
    };
  },
};
