import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import { ConfigurationError } from '../errors/configuration-error.js';
import type { Logger } from '../log/logger.js';
import type { AuditRow, GatehouseSchema } from '../store/schema.js';
import type { AuditEntry, AuditLog } from './audit-log.js';
import { auditOptionsSchema, type AuditOptions } from './audit-options.js';
import { AuditRing } from './audit-ring.js';

const DAY_MS = 86_400_000;
// 12 columns a row: 2 500 rows stay under SQLite's 32 766 and PostgreSQL's 65 535 bound parameters.
const MAX_ROWS_PER_INSERT = 2_500;
// The column widths of migration 0006: PostgreSQL refuses a longer value, and one refused row would fail its whole batch on every retry.
const WIDTH = { kind: 40, outcome: 60, user_id: 40, organization_id: 40, client_id: 200, credential_id: 200, tool: 128, request_id: 80 } as const;
const MAX_DETAIL_CHARS = 2_000;
const MAX_DURATION_MS = 2_147_483_647;

export interface SqlAuditLogOptions extends Partial<AuditOptions> {
  /** Where dropped entries and store failures are reported (counts and error codes, never entries). */
  readonly logger?: Logger;
  /** The clock, epoch ms. Default `Date.now`. */
  readonly now?: () => number;
  /** How often entries past `retentionDays` are deleted, ms; 0 never (the admin CLI leaves it to servers). Default 3 600 000. */
  readonly sweepEveryMs?: number;
}

/** Strips what PostgreSQL cannot store (NUL) and cuts to the column's width. */
function clip(value: string | null | undefined, width: number): string | null {
  if (value === undefined || value === null) return null;
  const clean = value.includes('\0') ? value.replaceAll('\0', '') : value;
  return clean.length > width ? clean.slice(0, width) : clean;
}

function detailText(detail: AuditEntry['detail']): string | null {
  if (detail === undefined || Object.keys(detail).length === 0) return null;
  const text = JSON.stringify(detail).replaceAll('\\u0000', '');
  return text.length > MAX_DETAIL_CHARS ? '{"truncated":true}' : text;
}

/**
 * Gatehouse's audit log in its own store (B-OPS-02). `record` only appends to
 * a bounded in-memory ring, so the hot path never waits on the database; a
 * timer writes the ring every `flushMs`, and a full batch is written at once,
 * each batch one multi-row insert. While the store is unreachable entries
 * stay buffered and are retried at every tick; past `maxBuffered` the oldest
 * are dropped and the count is logged.
 *
 * Ids are `aud_` + the 13-digit epoch ms + a per-process tag + a counter, so
 * they sort by time and, within one process, by order of recording.
 */
export class SqlAuditLog implements AuditLog {
  readonly options: AuditOptions;
  readonly #ring: AuditRing<AuditRow>;
  readonly #now: () => number;
  readonly #logger: Logger | undefined;
  readonly #tag = randomBytes(4).toString('hex');
  readonly #timers: ReturnType<typeof setInterval>[] = [];
  #seq = 0;
  #draining: Promise<void> | undefined;
  /** The last write failed: size-triggered writes wait for the next tick instead of hammering a store that is down. */
  #failing = false;
  #closed = false;

  constructor(
    private readonly db: Kysely<GatehouseSchema>,
    options: SqlAuditLogOptions = {},
  ) {
    const { logger, now, sweepEveryMs = 3_600_000, ...audit } = options;
    const parsed = auditOptionsSchema.safeParse(audit);
    if (!parsed.success) throw new ConfigurationError(parsed.error.issues[0]?.message ?? 'invalid options', `audit.${parsed.error.issues[0]?.path.join('.') ?? ''}`);
    this.options = parsed.data;
    this.#ring = new AuditRing(this.options.maxBuffered);
    this.#now = now ?? Date.now;
    this.#logger = logger;
    // Unref'd: an audit log never keeps a process alive; close() writes what is left.
    this.#every(this.options.flushMs, () => this.#tick());
    if (sweepEveryMs > 0) {
      this.#every(sweepEveryMs, () => void this.#sweepQuietly());
      const first = setTimeout(() => void this.#sweepQuietly(), Math.min(60_000, sweepEveryMs));
      first.unref();
      this.#timers.push(first);
    }
  }

  /** Entries waiting to be written. */
  get buffered(): number {
    return this.#ring.size;
  }

  record(entry: AuditEntry): void {
    if (this.#closed) return;
    try {
      const at = this.#now();
      this.#seq = (this.#seq + 1) % 1_679_616;
      const duration = entry.durationMs;
      this.#ring.push({
        id: `aud_${String(at).padStart(13, '0')}${this.#tag}${this.#seq.toString(36).padStart(4, '0')}`,
        at,
        kind: clip(entry.kind, WIDTH.kind) ?? 'unknown',
        outcome: clip(entry.outcome, WIDTH.outcome) ?? 'ok',
        user_id: clip(entry.userId, WIDTH.user_id),
        organization_id: clip(entry.organizationId, WIDTH.organization_id),
        client_id: clip(entry.clientId, WIDTH.client_id),
        credential_id: clip(entry.credentialId, WIDTH.credential_id),
        tool: clip(entry.tool, WIDTH.tool),
        // Whole milliseconds: the column is an integer.
        duration_ms: duration === undefined || duration === null || !Number.isFinite(duration) ? null : Math.min(MAX_DURATION_MS, Math.max(0, Math.round(duration))),
        request_id: clip(entry.requestId, WIDTH.request_id),
        detail: detailText(entry.detail),
      });
      if (this.#ring.size >= this.options.batchSize && this.#draining === undefined && !this.#failing) void this.#write(true).catch((err: unknown) => this.#failed(err));
    } catch {
      // Auditing never breaks the call it audits (an unserialisable detail, a broken clock).
    }
  }

  /**
   * Writes everything buffered now, one insert per batch. Rejects when the
   * store refuses; the entries are then kept for the next try.
   */
  flush(): Promise<void> {
    return this.#write(false);
  }

  /** One writer at a time; `fullOnly` (a batch filled up) leaves a partial batch for the timer. */
  async #write(fullOnly: boolean): Promise<void> {
    while (this.#draining !== undefined) await this.#draining.catch(() => undefined);
    if (this.#ring.size === 0) return;
    const run = this.#drain(fullOnly);
    this.#draining = run;
    try {
      await run;
    } finally {
      this.#draining = undefined;
    }
  }

  /** Stops the timers and writes what is left; never rejects (a store that is down loses the remainder, and says how much). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const timer of this.#timers) clearInterval(timer);
    try {
      await this.flush();
    } catch (err) {
      this.#logger?.warn({ lost: this.#ring.size, error: (err as Error).message }, 'audit log closed with entries it could not write');
    }
    this.#reportDrops();
  }

  /** Deletes entries older than `retentionDays`; returns how many. */
  async sweep(): Promise<number> {
    const cutoff = this.#now() - this.options.retentionDays * DAY_MS;
    const result = await this.db.deleteFrom('audit_log').where('at', '<', cutoff).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  #every(ms: number, run: () => void): void {
    const timer = setInterval(run, ms);
    timer.unref();
    this.#timers.push(timer);
  }

  async #drain(fullOnly: boolean): Promise<void> {
    while (this.#ring.size >= (fullOnly ? this.options.batchSize : 1)) {
      const batch = this.#ring.take(Math.min(this.options.batchSize, MAX_ROWS_PER_INSERT));
      try {
        await this.db.insertInto('audit_log').values(batch).execute();
      } catch (err) {
        this.#ring.putBack(batch);
        throw err;
      }
      if (this.#failing) {
        this.#failing = false;
        this.#logger?.info({ buffered: this.#ring.size }, 'audit log writes again');
      }
    }
  }

  #tick(): void {
    this.#reportDrops();
    if (this.#ring.size > 0 && this.#draining === undefined) void this.flush().catch((err: unknown) => this.#failed(err));
  }

  #failed(err: unknown): void {
    // One warning per outage, not one per tick; the message and code only, never a row.
    if (!this.#failing) {
      this.#logger?.warn(
        { error: err instanceof Error ? err.message : String(err), code: (err as { code?: unknown }).code, buffered: this.#ring.size },
        'audit log could not be written; entries are kept and retried',
      );
    }
    this.#failing = true;
  }

  #reportDrops(): void {
    const dropped = this.#ring.takeDropped();
    if (dropped > 0) this.#logger?.warn({ dropped, max_buffered: this.options.maxBuffered }, 'audit log buffer full: the oldest entries were dropped');
  }

  async #sweepQuietly(): Promise<void> {
    try {
      const deleted = await this.sweep();
      if (deleted > 0) this.#logger?.info({ deleted, retention_days: this.options.retentionDays }, 'audit log entries past retention deleted');
    } catch (err) {
      this.#logger?.warn({ error: (err as Error).message }, 'audit log retention sweep failed');
    }
  }
}
