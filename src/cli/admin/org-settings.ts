import { CliUsageError } from '../cli-error.js';
import { SqlChangeNotices } from '../../store/change-notices.js';
import { OrganizationSettings, PII_MODES, type PiiMode } from '../../tenancy/organization-settings.js';
import { optionalString, type AdminSubcommand } from './admin-subcommand.js';

/** `gatehouse admin org settings`: shows or changes write-back (B-POL-05) and the PII mode (B-POL-08). */
export const orgSettings: AdminSubcommand = {
  usage: 'org settings ORG [--writeback on|off] [--pii masked|full_default]',
  summary: "show or change an organization's MCP write-back and PII mode; running servers apply it within about a second",
  options: { writeback: { type: 'string' }, pii: { type: 'string' } },
  positionals: ['ORG'],
  prepare({ values, positionals }) {
    const orgRef = positionals[0] as string;
    const writeback = optionalString(values, 'writeback');
    if (writeback !== undefined && writeback !== 'on' && writeback !== 'off') throw new CliUsageError(`--writeback must be on or off, got ${writeback}`);
    const pii = optionalString(values, 'pii');
    if (pii !== undefined && !(PII_MODES as readonly string[]).includes(pii)) throw new CliUsageError(`--pii must be one of ${PII_MODES.join(', ')}, got ${pii}`);

    return async (ctx) => {
      const org = await ctx.organization(orgRef);
      const settings = new OrganizationSettings(ctx.database.db, new SqlChangeNotices(ctx.database.db));
      const change = { ...(writeback === undefined ? {} : { writeback: writeback === 'on' }), ...(pii === undefined ? {} : { piiMode: pii as PiiMode }) };
      if (Object.keys(change).length > 0 && !(await settings.set(org.id, change))) throw ctx.refuse('organization_not_found', `No organization ${orgRef}.`);
      const now = await settings.read(org.id);
      const shown = { organization: org.slug, organization_id: org.id, writeback: now.writeback ? 'on' : 'off', pii_mode: now.piiMode };
      const verb = Object.keys(change).length > 0 ? 'Changed. ' : '';
      ctx.print(`${verb}${org.slug}: write-back ${shown.writeback}, PII mode ${shown.pii_mode}.`, shown);
    };
  },
};
