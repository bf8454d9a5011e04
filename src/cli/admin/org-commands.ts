import { CliUsageError } from '../cli-error.js';
import { iso } from './admin-context.js';
import { optionalString, requiredString, type AdminSubcommand } from './admin-subcommand.js';

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
    const plan = optionalString(values, 'plan');

    return async (ctx) => {
      if ((await ctx.directory.findOrganizationBySlug(slug)) !== undefined) throw ctx.refuse('organization_exists', `An organization with slug ${slug} already exists.`);
      if (id !== undefined && (await ctx.directory.getOrganization(id)) !== undefined) throw ctx.refuse('organization_exists', `An organization with id ${id} already exists.`);
      const org = await ctx.directory.createOrganization({ slug, name, ...(id === undefined ? {} : { id }), ...(plan === undefined ? {} : { plan }) });
      ctx.print(`Created organization ${org.slug} (${org.id}).`, { id: org.id, slug: org.slug, name: org.name, plan: org.plan, created_at: iso(org.created_at) });
    };
  },
};

/** `gatehouse admin org list`. */
export const orgList: AdminSubcommand = {
  usage: 'org list',
  summary: 'list organizations',
  options: {},
  prepare() {
    return async (ctx) => {
      const orgs = await ctx.directory.listOrganizations();
      const plain = orgs.length === 0 ? 'No organizations yet: gatehouse admin org add --slug S --name N' : orgs.map((o) => `${o.slug.padEnd(20)} ${o.id.padEnd(28)} ${o.name}`).join('\n');
      ctx.print(plain, orgs.map((o) => ({ id: o.id, slug: o.slug, name: o.name, plan: o.plan, created_at: iso(o.created_at) })));
    };
  },
};
