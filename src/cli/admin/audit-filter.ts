import { auditKinds, type AuditKind } from '../../audit/audit-log.js';
import type { AuditFilter, AuditRecord } from '../../audit/audit-query.js';
import { parseDuration } from '../../auth/api-keys/api-key-store.js';
import { CliUsageError } from '../cli-error.js';
import { iso, type AdminContext } from './admin-context.js';
import { optionalString, type AdminValues } from './admin-subcommand.js';

/** The options `audit tail` and `audit export` share. */
export const auditFilterOptions = {
  org: { type: 'string' },
  user: { type: 'string' },
  tool: { type: 'string' },
  outcome: { type: 'string' },
  kind: { type: 'string' },
} as const;

/** `--from` / `--to`: an ISO timestamp, or a duration ago (24h, 7d). Undefined when absent. */
export function instantOption(values: AdminValues, name: string, now: number): number | undefined {
  const text = optionalString(values, name);
  if (text === undefined) return undefined;
  const ago = parseDuration(text);
  if (ago !== undefined) return now - ago;
  const at = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(at)) throw new CliUsageError(`--${name} takes an ISO time like 2026-05-01T00:00:00Z or a duration ago like 24h or 7d, got ${text}`);
  return at;
}

/**
 * Checks the filter options before the store is opened; the step it returns
 * resolves `--org` (slug or id) and `--user` (email or id) against the store.
 */
export function readAuditFilter(values: AdminValues): (ctx: AdminContext) => Promise<AuditFilter> {
  const orgRef = optionalString(values, 'org');
  const userRef = optionalString(values, 'user');
  const tool = optionalString(values, 'tool');
  const outcome = optionalString(values, 'outcome');
  const kindText = optionalString(values, 'kind');
  const kinds = kindText?.split(',').map((k) => k.trim()).filter((k) => k !== '');
  const unknown = (kinds ?? []).filter((k) => !(auditKinds as readonly string[]).includes(k));
  if (unknown.length > 0) throw new CliUsageError(`--kind must be one or more (comma-separated) of ${auditKinds.join(', ')}; got ${unknown.join(', ')}`);
  return async (ctx) => {
    const organizationId = orgRef === undefined ? undefined : (await ctx.organization(orgRef)).id;
    // Ids are taken as they are: entries outlive the accounts they name.
    const userId = userRef === undefined ? undefined : userRef.includes('@') ? (await ctx.user(userRef)).id : userRef;
    return {
      ...(organizationId === undefined ? {} : { organizationId }),
      ...(userId === undefined ? {} : { userId }),
      ...(tool === undefined ? {} : { tool }),
      ...(outcome === undefined ? {} : { outcome }),
      ...(kinds === undefined || kinds.length === 0 ? {} : { kind: kinds as AuditKind[] }),
    };
  };
}

/** An entry as the CLI prints it in JSON and exports it: snake_case, the time in ISO. */
export function auditJson(r: AuditRecord) {
  return {
    id: r.id,
    at: iso(r.at),
    kind: r.kind,
    outcome: r.outcome,
    user_id: r.userId,
    organization_id: r.organizationId,
    client_id: r.clientId,
    credential_id: r.credentialId,
    tool: r.tool,
    duration_ms: r.durationMs,
    request_id: r.requestId,
    detail: r.detail,
  };
}

/** One line a person reads: time, kind, outcome, then what is known. */
export function auditLine(r: AuditRecord): string {
  const fields = [
    r.userId === null ? '' : `user=${r.userId}`,
    r.organizationId === null ? '' : `org=${r.organizationId}`,
    r.clientId === null ? '' : `client=${r.clientId}`,
    r.credentialId === null ? '' : `cred=${r.credentialId}`,
    r.tool === null ? '' : `tool=${r.tool}`,
    r.durationMs === null ? '' : `${r.durationMs}ms`,
    r.requestId === null ? '' : `req=${r.requestId}`,
    ...Object.entries(r.detail ?? {}).map(([k, v]) => `${k}=${String(v)}`),
  ].filter((f) => f !== '');
  return `${iso(r.at) ?? ''}  ${r.kind.padEnd(15)}  ${r.outcome.padEnd(19)}  ${fields.join(' ')}`.trimEnd();
}
