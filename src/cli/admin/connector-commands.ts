import { CliUsageError } from '../cli-error.js';
import { SqlChangeNotices } from '../../store/change-notices.js';
import { ConnectorRegistry, type ConnectorState } from '../../tenancy/connectors.js';
import { iso } from './admin-context.js';
import { optionalString, requiredString, type AdminSubcommand } from './admin-subcommand.js';

const NAME = /^[a-z][a-z0-9_-]{0,59}$/;
const DURATION = /^(\d+)(s|m|h|d)$/;
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

function connectorName(values: Readonly<Record<string, unknown>>): string {
  const name = requiredString(values as never, 'connector');
  if (!NAME.test(name)) throw new CliUsageError(`--connector must be a connector name (lower-case letters, digits, _ or -), got ${name}`);
  return name;
}

/** `--expires-in 90m` → ms from now; `-` for already expired (to show connector_expired). */
function expiresIn(value: string | undefined): number | null | 'expired' {
  if (value === undefined) return null;
  if (value === 'expired') return 'expired';
  const m = DURATION.exec(value);
  if (m === null) throw new CliUsageError(`--expires-in must be a duration like 30m, 12h or 7d, or "expired", got ${value}`);
  return Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS];
}

function describe(state: ConnectorState): string {
  if (state.status === 'missing') return 'not connected';
  if (state.status === 'expired') return `expired at ${iso(state.expiresAt)}`;
  return state.expiresAt === null ? 'connected' : `connected until ${iso(state.expiresAt)}`;
}

const registry = (db: ConstructorParameters<typeof ConnectorRegistry>[0]) => new ConnectorRegistry(db, undefined, new SqlChangeNotices(db));

/** `gatehouse admin connector connect`: marks an integration connected (B-POL-06); products store the integration's token through the API. */
export const connectorConnect: AdminSubcommand = {
  usage: 'connector connect --org ORG --connector NAME [--expires-in 12h|expired]',
  summary: "mark an organization's integration connected (optionally expiring); running servers apply it within about a second",
  options: { org: { type: 'string' }, connector: { type: 'string' }, 'expires-in': { type: 'string' } },
  prepare({ values }) {
    const orgRef = requiredString(values, 'org');
    const name = connectorName(values);
    const expiry = expiresIn(optionalString(values, 'expires-in'));
    return async (ctx) => {
      const org = await ctx.organization(orgRef);
      const expiresAt = expiry === null ? null : expiry === 'expired' ? Date.now() - 1000 : Date.now() + expiry;
      const connectors = registry(ctx.database.db);
      await connectors.connect(org.id, name, { expiresAt });
      const [listed] = await connectors.list(org.id, [name]);
      const state = listed?.state ?? { status: 'missing' as const };
      ctx.print(`${name} for ${org.slug}: ${describe(state)}.`, { organization: org.slug, connector: name, status: state.status, expires_at: expiresAt === null ? null : iso(expiresAt) });
    };
  },
};

/** `gatehouse admin connector disconnect`. */
export const connectorDisconnect: AdminSubcommand = {
  usage: 'connector disconnect --org ORG --connector NAME',
  summary: "disconnect an organization's integration (its stored token is deleted)",
  options: { org: { type: 'string' }, connector: { type: 'string' } },
  prepare({ values }) {
    const orgRef = requiredString(values, 'org');
    const name = connectorName(values);
    return async (ctx) => {
      const org = await ctx.organization(orgRef);
      const removed = await registry(ctx.database.db).disconnect(org.id, name);
      if (!removed) throw ctx.refuse('connector_not_found', `${name} is not connected for ${org.slug}.`);
      ctx.print(`Disconnected ${name} for ${org.slug}.`, { organization: org.slug, connector: name, status: 'missing' });
    };
  },
};

/** `gatehouse admin connector list`. */
export const connectorList: AdminSubcommand = {
  usage: 'connector list --org ORG',
  summary: "list an organization's connected integrations and when they expire",
  options: { org: { type: 'string' } },
  prepare({ values }) {
    const orgRef = requiredString(values, 'org');
    return async (ctx) => {
      const org = await ctx.organization(orgRef);
      const rows = await ctx.database.db.selectFrom('connectors').select('connector').where('organization_id', '=', org.id).orderBy('connector').execute();
      const listed = await registry(ctx.database.db).list(org.id, rows.map((r) => r.connector));
      const shown = listed.map((l) => ({ connector: l.connector, status: l.state.status, expires_at: l.state.status === 'missing' || l.state.expiresAt === null ? null : iso(l.state.expiresAt) }));
      ctx.print(shown.length === 0 ? `${org.slug} has no connected integrations.` : listed.map((l) => `${l.connector}: ${describe(l.state)}`).join('\n'), shown);
    };
  },
};
