import { CliUsageError } from '../cli-error.js';
import { iso } from './admin-context.js';
import { optionalString, planOption, requiredString, type AdminSubcommand } from './admin-subcommand.js';

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;
// Products key their own data by organization id, so an operator may need to choose it.
const ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

/** `gatehouse admin org add`. */
export const orgAdd: AdminSubcommand = {
  usage: 'org add --slug S --name N [--id ID] [--plan P]',
  summary: 'create an organization (the id defaults to a random org_…)',
  options: { slug: { type: 'string' }, name: { type: 'string' }, id: { type: 'string' }, plan: { type: 'string' } },
  prepare({ values }) {
    const slug = requiredString(values, 'slug');
    if (!SLUG.test(slug)) throw new CliUsageError('--slug must be 1–64 lower-case letters, digits or hyphens, e.g. acme');
    const name = requiredString(values, 'name');
    const id = optionalString(values, 'id');
    if (id !== undefined && !ID.test(id)) throw new CliUsageError('--id must be 1–64 letters, digits, _ or -, e.g. org_acme');
    const plan = planOption(values, false);

    return async (ctx) => {
      if ((await ctx.directory.findOrganizationBySlug(slug)) !== undefined) throw ctx.refuse('organization_exists', `An organization with slug ${slug} already exists.`);
      if (id !== undefined && (await ctx.directory.getOrganization(id)) !== undefined) throw ctx.refuse('organization_exists', `An organization with id ${id} already exists.`);
      const org = await ctx.directory.createOrganization({ slug, name, ...(id === undefined ? {} : { id }), ...(plan === undefined ? {} : { plan }) });
      ctx.print(`Created organization ${org.slug} (${org.id})${org.plan === null ? '' : ` on plan ${org.plan}`}.`, { id: org.id, slug: org.slug, name: org.name, plan: org.plan, created_at: iso(org.created_at) });
    };
  },
};

/** `gatehouse admin org list`. */
export const orgList: AdminSubcommand = {
  usage: 'org list',
  summary: 'list organizations (id, slug, name, plan)',
  options: {},
  prepare() {
    return async (ctx) => {
      const orgs = await ctx.directory.listOrganizations();
      const plain = orgs.length === 0 ? 'No organizations yet: gatehouse admin org add --slug S --name N' : orgs.map((o) => `${o.slug.padEnd(20)} ${o.id.padEnd(28)} ${(o.plan ?? '-').padEnd(12)} ${o.name}`).join('\n');
      ctx.print(plain, orgs.map((o) => ({ id: o.id, slug: o.slug, name: o.name, plan: o.plan, created_at: iso(o.created_at) })));
    };
  },
};

/** `gatehouse admin org show`: one organization, its plan and its members. */
export const orgShow: AdminSubcommand = {
  usage: 'org show ORG',
  summary: 'show an organization (by slug or id): its plan and its members with their roles',
  options: {},
  positionals: ['ORG'],
  prepare({ positionals }) {
    const orgRef = positionals[0] as string;
    return async (ctx) => {
      const org = await ctx.organization(orgRef);
      const members = (await ctx.directory.membersOf(org.id)).map(({ user, role }) => ({ email: user.email, name: user.name, role }));
      const shown = { id: org.id, slug: org.slug, name: org.name, plan: org.plan, plan_changed_at: iso(org.plan_changed_at), created_at: iso(org.created_at), members };
      const plain = [
        `id:              ${shown.id}`,
        `slug:            ${shown.slug}`,
        `name:            ${shown.name}`,
        `plan:            ${shown.plan ?? '-'}`,
        `plan changed at: ${shown.plan_changed_at ?? '-'}`,
        `created at:      ${shown.created_at}`,
        members.length === 0 ? 'members:         none (gatehouse admin member add)' : 'members:',
        ...members.map((m) => `  ${m.email.padEnd(32)} ${m.role.padEnd(8)} ${m.name ?? ''}`.trimEnd()),
      ];
      ctx.print(plain.join('\n'), shown);
    };
  },
};
