import { parseDuration } from '../../auth/api-keys/api-key-store.js';
import { scopesOfRole } from '../../tenancy/roles.js';
import { CliUsageError } from '../cli-error.js';
import { iso, type AdminContext } from './admin-context.js';
import { emailOption, optionalString, type AdminSubcommand } from './admin-subcommand.js';

// The same rule as the `apiKeyPrefix` option: the server routes `<prefix>_…` bearer tokens to API keys.
const PREFIX = /^[a-z][a-z0-9]{0,15}$/;

/** `--expires`: a duration (30d, 12h, 45m, 90s) from now, or `never`. */
export function parseExpires(text: string | undefined, now: number): number | null {
  if (text === undefined || text === 'never') return null;
  const ms = parseDuration(text);
  if (ms === undefined || ms <= 0) throw new CliUsageError(`--expires takes a duration like 30d, 12h, 45m or 90s (or never), got ${text}`);
  return now + ms;
}

/** The organization the key is for: the one named, or the user's only one. */
async function chooseMembership(ctx: AdminContext, userId: string, email: string, orgRef: string | undefined) {
  const memberships = await ctx.directory.membershipsOf(userId);
  const listed = memberships.map((m) => `${m.organization.slug} (${m.role})`).join(', ');
  if (orgRef !== undefined) {
    const org = await ctx.organization(orgRef);
    const membership = memberships.find((m) => m.organization.id === org.id);
    if (membership === undefined) {
      throw ctx.refuse('not_a_member', `${email} is not a member of ${org.slug}${listed === '' ? '' : `; their organizations: ${listed}`}.`);
    }
    return membership;
  }
  const [only, ...others] = memberships;
  if (only === undefined) throw ctx.refuse('no_organization', `${email} belongs to no organization; add them first: gatehouse admin member add --email ${email} --org SLUG --role member`);
  if (others.length > 0) throw ctx.refuse('organization_required', `${email} belongs to several organizations; choose one with --org: ${listed}.`);
  return only;
}

/** `gatehouse admin key create`: prints the key once; only its keyed hash is stored (B-AUTH-10). */
export const keyCreate: AdminSubcommand = {
  usage: 'key create --email E [--org SLUG] [--scopes "mcp:read mcp:write"] [--expires 30d] [--name N] [--prefix gh]',
  summary: 'create an API key for a user in one organization and print it once',
  options: { email: { type: 'string' }, org: { type: 'string' }, scopes: { type: 'string' }, expires: { type: 'string' }, name: { type: 'string' }, prefix: { type: 'string' } },
  prepare({ values }) {
    const email = emailOption(values);
    const orgRef = optionalString(values, 'org');
    const requested = values.scopes === undefined ? undefined : [...new Set(String(values.scopes).split(/[\s,]+/).filter((s) => s !== ''))];
    if (requested !== undefined && requested.length === 0) throw new CliUsageError('--scopes needs at least one scope, e.g. "mcp:read"');
    const expiresAt = parseExpires(optionalString(values, 'expires'), Date.now());
    const name = optionalString(values, 'name') ?? 'admin CLI';
    if (name.length > 100) throw new CliUsageError('--name must be at most 100 characters');
    const prefix = optionalString(values, 'prefix') ?? 'gh';
    if (!PREFIX.test(prefix)) throw new CliUsageError('--prefix must be lower-case letters and digits, starting with a letter (the server\'s apiKeyPrefix)');

    return async (ctx) => {
      const user = await ctx.user(email);
      const { organization, role } = await chooseMembership(ctx, user.id, user.email, orgRef);
      const allowed = scopesOfRole(ctx.access, role);
      const unknown = (requested ?? []).filter((s) => !(s in ctx.access.scopes));
      if (unknown.length > 0) throw ctx.refuse('unknown_scope', `Unknown scope ${unknown.join(', ')}; the scopes are ${Object.keys(ctx.access.scopes).join(' ')}.`);
      const beyond = (requested ?? []).filter((s) => !allowed.includes(s));
      if (beyond.length > 0) {
        throw ctx.refuse('scope_beyond_role', `The ${role} role in ${organization.slug} does not grant ${beyond.join(' ')}; it grants ${allowed.join(' ') || 'no scope'}.`);
      }
      const scopes = requested ?? allowed;
      if (scopes.length === 0) throw ctx.refuse('scope_beyond_role', `The ${role} role in ${organization.slug} grants no scope, so a key would be useless.`);

      const { key, row } = await ctx.apiKeys(prefix).create({ userId: user.id, organizationId: organization.id, name, scopes, expiresAt, via: 'cli' });
      const expires = iso(row.expires_at);
      ctx.print(key, {
        key,
        id: row.id,
        display: row.display,
        name: row.name,
        user: user.email,
        organization: organization.slug,
        organization_id: organization.id,
        scopes,
        created_at: iso(row.created_at),
        expires_at: expires,
      });
      process.stderr.write(
        `Created ${row.id} (${row.display}) for ${user.email} in ${organization.slug}, scopes ${scopes.join(' ')}, ${expires === null ? 'no expiry' : `expires ${expires}`}.\n` +
          'Store it now, it is not shown again. Use it as: Authorization: Bearer <key>\n',
      );
    };
  },
};
