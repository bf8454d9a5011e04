import { iso } from './admin-context.js';
import { planOption, requiredString, type AdminSubcommand } from './admin-subcommand.js';

/** `gatehouse admin plan set`: records the change and tells running servers, which apply it within about a second (B-PLAN-02). */
export const planSet: AdminSubcommand = {
  usage: 'plan set --org SLUG --plan P',
  summary: "change an organization's plan; running servers apply it within about a second",
  options: { org: { type: 'string' }, plan: { type: 'string' } },
  prepare({ values }) {
    const orgRef = requiredString(values, 'org');
    const plan = planOption(values, true) as string;

    return async (ctx) => {
      const org = await ctx.organization(orgRef);
      if (!(await ctx.directory.setPlan(org.id, plan))) throw ctx.refuse('organization_not_found', `No organization ${orgRef}.`);
      const after = (await ctx.directory.getOrganization(org.id)) ?? org;
      ctx.print(`Changed the plan of ${org.slug} from ${org.plan ?? '(none)'} to ${plan}. Running servers apply it within about a second.`, {
        organization: org.slug,
        organization_id: org.id,
        previous_plan: org.plan,
        plan,
        plan_changed_at: iso(after.plan_changed_at),
      });
    };
  },
};
