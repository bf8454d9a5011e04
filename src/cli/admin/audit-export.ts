import { once } from 'node:events';
import { AuditQuery } from '../../audit/audit-query.js';
import { CliUsageError } from '../cli-error.js';
import { optionalString, type AdminSubcommand } from './admin-subcommand.js';
import { auditFilterOptions, auditJson, instantOption, readAuditFilter } from './audit-filter.js';

const COLUMNS = ['id', 'at', 'kind', 'outcome', 'user_id', 'organization_id', 'client_id', 'credential_id', 'tool', 'duration_ms', 'request_id', 'detail'] as const;

/** One CSV field (RFC 4180), with a leading `'` on values a spreadsheet would run as a formula. */
export function csvField(value: string | number | boolean | null | undefined | Readonly<Record<string, unknown>>): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Writes to stdout, waiting when the pipe is full, so an export of any size holds one page in memory. */
async function write(text: string): Promise<void> {
  if (!process.stdout.write(text)) await once(process.stdout, 'drain');
}

/** `gatehouse admin audit export`: every matching entry in time order, as JSON lines or CSV on stdout (B-OPS-02). */
export const auditExport: AdminSubcommand = {
  usage: 'audit export [--from ISO|24h] [--to ISO|1h] [--format jsonl|csv] [--org ORG] [--user EMAIL|ID] [--tool T] [--outcome CODE] [--kind K[,K]]',
  summary: 'write audit entries in time order to stdout, one JSON object a line (default) or CSV with a header',
  options: { ...auditFilterOptions, from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string' } },
  prepare({ values }) {
    const now = Date.now();
    const from = instantOption(values, 'from', now);
    const to = instantOption(values, 'to', now);
    if (from !== undefined && to !== undefined && from >= to) throw new CliUsageError('--from must be before --to');
    const format = optionalString(values, 'format') ?? 'jsonl';
    if (format !== 'jsonl' && format !== 'csv') throw new CliUsageError(`--format must be jsonl or csv, got ${format}`);
    const resolveFilter = readAuditFilter(values);
    return async (ctx) => {
      const filter = { ...(await resolveFilter(ctx)), ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) };
      if (format === 'csv') await write(`${COLUMNS.join(',')}\n`);
      for await (const record of new AuditQuery(ctx.database.db).all(filter, { order: 'oldest' })) {
        const row = auditJson(record);
        await write(format === 'csv' ? `${COLUMNS.map((c) => csvField(row[c])).join(',')}\n` : `${JSON.stringify(row)}\n`);
      }
    };
  },
};
