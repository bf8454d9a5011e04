import { parseArgs } from 'node:util';
import { auditKinds } from '../../audit/audit-log.js';
import { GatehouseError } from '../../errors/gatehouse-error.js';
import { openAdminContext } from '../admin/admin-context.js';
import type { AdminSubcommand } from '../admin/admin-subcommand.js';
import { auditExport } from '../admin/audit-export.js';
import { auditTail } from '../admin/audit-tail.js';
import { keyCreate } from '../admin/key-create.js';
import { keyList, keyRevoke } from '../admin/key-list-revoke.js';
import { memberAdd } from '../admin/member-add.js';
import { memberRemove, memberSetRole } from '../admin/member-role-remove.js';
import { connectorConnect, connectorDisconnect, connectorList } from '../admin/connector-commands.js';
import { orgAdd, orgList, orgShow } from '../admin/org-commands.js';
import { orgSettings } from '../admin/org-settings.js';
import { planSet } from '../admin/plan-set.js';
import { userAdd } from '../admin/user-add.js';
import { CliRefusal, CliUsageError } from '../cli-error.js';

const SUBCOMMANDS: Readonly<Record<string, AdminSubcommand>> = {
  'user add': userAdd,
  'org add': orgAdd,
  'org list': orgList,
  'org show': orgShow,
  'org settings': orgSettings,
  'member add': memberAdd,
  'member set-role': memberSetRole,
  'member remove': memberRemove,
  'plan set': planSet,
  'key create': keyCreate,
  'key list': keyList,
  'key revoke': keyRevoke,
  'connector connect': connectorConnect,
  'connector disconnect': connectorDisconnect,
  'connector list': connectorList,
  'audit tail': auditTail,
  'audit export': auditExport,
};

export const adminHelp = `gatehouse admin <noun> <verb> [options] [--data DIR] [--json]

Manages users, organizations (plans, write-back, PII mode, connectors), memberships and API keys in the store a server uses, and reads its audit log.

${Object.values(SUBCOMMANDS)
  .map((s) => `  ${s.usage}\n      ${s.summary}`)
  .join('\n')}

Common options:
  --data DIR   the SQLite store's folder (gatehouse.sqlite and the secret), default ./.gatehouse
  --json       machine-readable output; refusals print {"error": code, "message": …} too
Environment:
  DATABASE_URL       postgres://… — use this PostgreSQL store instead of --data
  GATEHOUSE_SECRET   the server secret (required with DATABASE_URL); API keys are hashed with it
Roles are owner, admin, member, viewer (an organization always keeps an owner); scopes mcp:read, mcp:write, mcp:admin, mcp:read_pii.
Plan names are 1–40 lower-case letters, digits, _ or -.
Audit kinds are ${auditKinds.join(', ')};
--outcome is ok or a code (insufficient_scope, invalid_credentials…). audit export ignores --json: its output is JSON lines or CSV.
Exit codes: 0 done, 1 refused (unknown user, duplicate, scopes beyond the role, the last owner…), 2 usage mistake.`;

const COMMON = { data: { type: 'string', default: '.gatehouse' }, json: { type: 'boolean', default: false } } as const;

export async function adminCommand(args: string[]): Promise<void> {
  const [noun, verb, ...rest] = args;
  if (noun === undefined) throw new CliUsageError('say what to manage, e.g. gatehouse admin key create --email E');
  const subcommand = SUBCOMMANDS[`${noun} ${verb ?? ''}`];
  if (subcommand === undefined) throw new CliUsageError(`unknown admin command "${[noun, verb].filter(Boolean).join(' ')}"`);
  if (rest.some((a) => a === '--password' || a.startsWith('--password='))) {
    throw new CliUsageError('passwords are never taken on the command line (shell history and ps keep them); pipe it in with --password-stdin');
  }
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { ...COMMON, ...subcommand.options }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new CliUsageError((err as Error).message);
  }
  const expected = subcommand.positionals ?? [];
  if (parsed.positionals.length !== expected.length) {
    throw new CliUsageError(expected.length === 0 ? `unexpected argument ${parsed.positionals[0]}` : `expected ${expected.join(' ')}: gatehouse admin ${subcommand.usage}`);
  }
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const json = values.json === true;
  const refuse = (code: string, message: string) => new CliRefusal(code, message, json);

  const step = await subcommand.prepare({ values, positionals: parsed.positionals, refuse });
  const ctx = await openAdminContext({ data: String(values.data), json });
  try {
    await step(ctx);
  } catch (err) {
    // Directory refusals (a duplicate slug racing our check) are expected, not crashes.
    if (err instanceof GatehouseError) throw refuse(String(err.code), err.message);
    throw err;
  } finally {
    await ctx.close();
  }
}
