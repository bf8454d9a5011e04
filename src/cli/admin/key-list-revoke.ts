import type { ApiKeyRow } from '../../store/schema.js';
import { iso, type AdminContext } from './admin-context.js';
import { emailOption, optionalString, type AdminSubcommand } from './admin-subcommand.js';

function status(row: ApiKeyRow, now: number): 'active' | 'revoked' | 'expired' {
  if (row.revoked_at !== null) return 'revoked';
  if (row.expires_at !== null && row.expires_at <= now) return 'expired';
  return 'active';
}

/** A key as operators see it: everything but the secret and its hash. */
async function describe(ctx: AdminContext, rows: readonly ApiKeyRow[]) {
  const now = Date.now();
  const emails = new Map<string, string>();
  const slugs = new Map<string, string>();
  for (const row of rows) {
    if (!emails.has(row.user_id)) emails.set(row.user_id, (await ctx.directory.getUser(row.user_id))?.email ?? row.user_id);
    const org = row.organization_id;
    if (org !== null && !slugs.has(org)) slugs.set(org, (await ctx.directory.getOrganization(org))?.slug ?? org);
  }
  return rows.map((row) => ({
    id: row.id,
    display: row.display,
    name: row.name,
    user: emails.get(row.user_id) ?? row.user_id,
    user_id: row.user_id,
    organization: row.organization_id === null ? null : (slugs.get(row.organization_id) ?? row.organization_id),
    organization_id: row.organization_id,
    scopes: row.scopes.split(' ').filter((s) => s !== ''),
    status: status(row, now),
    created_at: iso(row.created_at),
    expires_at: iso(row.expires_at),
    last_used_at: iso(row.last_used_at),
    revoked_at: iso(row.revoked_at),
  }));
}

const day = (value: string | null) => (value === null ? '-' : value.slice(0, 16).replace('T', ' '));

function table(keys: Awaited<ReturnType<typeof describe>>): string {
  if (keys.length === 0) return 'No API keys.';
  const header = ['ID', 'KEY', 'USER', 'ORG', 'SCOPES', 'CREATED', 'EXPIRES', 'LAST USED', 'STATUS'];
  const lines = keys.map((k) => [k.id, k.display, k.user, k.organization ?? '-', k.scopes.join(' '), day(k.created_at), day(k.expires_at), day(k.last_used_at), k.status === 'revoked' ? `revoked ${day(k.revoked_at)}` : k.status]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  return [header, ...lines].map((cells) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}

/** `gatehouse admin key list`: never shows a secret. */
export const keyList: AdminSubcommand = {
  usage: 'key list [--email E] [--org SLUG]',
  summary: 'list API keys (id, display prefix, user, organization, scopes, dates, status)',
  options: { email: { type: 'string' }, org: { type: 'string' } },
  prepare({ values }) {
    const email = values.email === undefined ? undefined : emailOption(values);
    const orgRef = optionalString(values, 'org');
    return async (ctx) => {
      const userId = email === undefined ? undefined : (await ctx.user(email)).id;
      const organizationId = orgRef === undefined ? undefined : (await ctx.organization(orgRef)).id;
      const rows = await ctx.apiKeys().list({ ...(userId === undefined ? {} : { userId }), ...(organizationId === undefined ? {} : { organizationId }) });
      const keys = await describe(ctx, rows);
      ctx.print(table(keys), keys);
    };
  },
};

/** `gatehouse admin key revoke`: idempotent; a revoked key answers 401 (B-AUTH-10). */
export const keyRevoke: AdminSubcommand = {
  usage: 'key revoke ID',
  summary: 'revoke an API key',
  options: {},
  positionals: ['ID'],
  prepare({ positionals }) {
    const id = positionals[0] as string;
    return async (ctx) => {
      const keys = ctx.apiKeys();
      const row = await keys.get(id);
      if (row === undefined) throw ctx.refuse('key_not_found', `No API key ${id} (gatehouse admin key list shows the ids).`);
      const revokedNow = await keys.revoke(id, 'cli');
      const after = (await keys.get(id)) ?? row;
      const [described] = await describe(ctx, [after]);
      ctx.print(
        revokedNow
          ? `Revoked ${id} (${row.display}). Running servers refuse it within about 5 seconds.`
          : `${id} (${row.display}) was already revoked at ${iso(row.revoked_at)}.`,
        { ...described, already_revoked: !revokedNow },
      );
    };
  },
};
