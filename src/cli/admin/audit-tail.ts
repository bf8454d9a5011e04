import { AuditQuery, type AuditFilter, type AuditRecord } from '../../audit/audit-query.js';
import { CliUsageError } from '../cli-error.js';
import { optionalString, type AdminSubcommand } from './admin-subcommand.js';
import { auditFilterOptions, auditJson, auditLine, readAuditFilter } from './audit-filter.js';

/** How often `--follow` looks for new entries, ms. */
const POLL_MS = 1_000;
/**
 * Servers write entries in batches (every second by default), so an entry can
 * land after a later one: `--follow` looks back this far and skips what it
 * printed, ms. Entries written later still (a store outage, a server clock far
 * behind) show in `export`.
 */
const LOOK_BACK_MS = 10_000;

function limitOption(text: string | undefined): number {
  if (text === undefined) return 20;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new CliUsageError(`--limit must be a whole number from 1 to 1000, got ${text}`);
  return n;
}

/** Resolves once SIGINT or SIGTERM arrives: `--follow` then ends normally (exit 0). */
function untilStopped(): { readonly stopped: Promise<void>; readonly isStopped: () => boolean; dispose(): void } {
  let done = false;
  let wake: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => {
    wake = resolve;
  });
  const onSignal = () => {
    done = true;
    wake();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  return {
    stopped,
    isStopped: () => done,
    dispose: () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}

async function follow(query: AuditQuery, filter: AuditFilter, printed: readonly AuditRecord[], print: (r: AuditRecord) => void): Promise<void> {
  // Ids printed within the look-back window, with their times, so nothing prints twice.
  const seen = new Map<string, number>(printed.map((r) => [r.id, r.at]));
  const signals = untilStopped();
  try {
    while (!signals.isStopped()) {
      // Not unref'd: this timer is what keeps a SQLite follower's process alive.
      let timer: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([signals.stopped, new Promise((r) => (timer = setTimeout(r, POLL_MS)))]);
      clearTimeout(timer);
      if (signals.isStopped()) break;
      // Each poll reads only the look-back window, however old the log is.
      const from = Date.now() - LOOK_BACK_MS;
      for await (const r of query.all({ ...filter, from: Math.max(filter.from ?? 0, from) }, { order: 'oldest' })) {
        if (seen.has(r.id)) continue;
        seen.set(r.id, r.at);
        print(r);
      }
      for (const [id, at] of seen) if (at < from) seen.delete(id);
    }
  } finally {
    signals.dispose();
  }
}

/** `gatehouse admin audit tail`: the latest entries, oldest first; `--follow` keeps printing new ones (B-OPS-02). */
export const auditTail: AdminSubcommand = {
  usage: 'audit tail [--org ORG] [--user EMAIL|ID] [--tool T] [--outcome CODE] [--kind K[,K]] [--limit 20] [--follow]',
  summary: 'print the latest audit entries (sign-ins, tokens, keys, tool calls), oldest first; --follow keeps printing new ones until Ctrl-C',
  options: { ...auditFilterOptions, limit: { type: 'string' }, follow: { type: 'boolean' } },
  prepare({ values }) {
    const resolveFilter = readAuditFilter(values);
    const limit = limitOption(optionalString(values, 'limit'));
    const following = values.follow === true;
    return async (ctx) => {
      const filter = await resolveFilter(ctx);
      const query = new AuditQuery(ctx.database.db);
      const latest = [...(await query.page(filter, { limit })).entries].reverse();
      // Following prints one JSON object a line (a stream has no closing bracket); otherwise one array.
      const print = (r: AuditRecord) => process.stdout.write(`${ctx.json ? JSON.stringify(auditJson(r)) : auditLine(r)}\n`);
      if (!following) {
        ctx.print(latest.length === 0 ? 'No audit entries match.' : latest.map(auditLine).join('\n'), latest.map(auditJson));
        return;
      }
      latest.forEach(print);
      process.stderr.write('Following the audit log; Ctrl-C to stop.\n');
      await follow(query, filter, latest, print);
    };
  },
};
