import type { Kysely } from 'kysely';
import { GatehouseError } from '../errors/gatehouse-error.js';
import type { AuditRow, GatehouseSchema } from '../store/schema.js';
import type { AuditEntry, AuditKind } from './audit-log.js';

/** Which entries to read; every field narrows, none means all. */
export interface AuditFilter {
  readonly userId?: string;
  readonly organizationId?: string;
  readonly clientId?: string;
  readonly tool?: string;
  /** `ok` or a code, e.g. `insufficient_scope`. */
  readonly outcome?: string;
  readonly kind?: AuditKind | readonly AuditKind[];
  readonly requestId?: string;
  /** Entries at or after this instant, epoch ms. */
  readonly from?: number;
  /** Entries before this instant, epoch ms. */
  readonly to?: number;
}

/** One stored entry: what was recorded, with its id and time. */
export interface AuditRecord extends Required<Omit<AuditEntry, 'detail'>> {
  readonly id: string;
  /** When it was recorded, epoch ms. */
  readonly at: number;
  readonly detail: Readonly<Record<string, string | number | boolean | null>> | null;
}

export interface AuditPage {
  readonly entries: readonly AuditRecord[];
  /** Pass as `cursor` for the next page; absent on the last page. */
  readonly nextCursor?: string;
}

export interface AuditPageOptions {
  /** Entries a page, 1–1000. Default 50. */
  readonly limit?: number;
  /** The `nextCursor` of the previous page. */
  readonly cursor?: string;
  /** `newest` first (default: dashboards, `tail`) or `oldest` first (exports, following). */
  readonly order?: 'newest' | 'oldest';
}

const CURSOR = /^aud_(\d{13})[0-9a-z]{1,40}$/;

function fromRow(row: AuditRow): AuditRecord {
  let detail: AuditRecord['detail'] = null;
  if (row.detail !== null) {
    try {
      detail = JSON.parse(row.detail) as AuditRecord['detail'];
    } catch {
      detail = { unreadable: true };
    }
  }
  return {
    id: row.id,
    at: Number(row.at),
    kind: row.kind as AuditKind,
    outcome: row.outcome,
    userId: row.user_id,
    organizationId: row.organization_id,
    clientId: row.client_id,
    credentialId: row.credential_id,
    tool: row.tool,
    durationMs: row.duration_ms === null ? null : Number(row.duration_ms),
    requestId: row.request_id,
    detail,
  };
}

/**
 * Reads the audit log (B-OPS-02) for the admin CLI and dashboards: filtered,
 * in time order, a page at a time. The cursor is the last entry's id, which
 * carries its time, so a page is one index range scan whatever the offset.
 */
export class AuditQuery {
  constructor(private readonly db: Kysely<GatehouseSchema>) {}

  async page(filter: AuditFilter = {}, options: AuditPageOptions = {}): Promise<AuditPage> {
    const limit = options.limit ?? 50;
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new GatehouseError('invalid_input', { message: 'limit must be an integer from 1 to 1000', details: { field: 'limit' } });
    const newest = (options.order ?? 'newest') === 'newest';
    let q = this.db.selectFrom('audit_log').selectAll();
    if (filter.userId !== undefined) q = q.where('user_id', '=', filter.userId);
    if (filter.organizationId !== undefined) q = q.where('organization_id', '=', filter.organizationId);
    if (filter.clientId !== undefined) q = q.where('client_id', '=', filter.clientId);
    if (filter.tool !== undefined) q = q.where('tool', '=', filter.tool);
    if (filter.outcome !== undefined) q = q.where('outcome', '=', filter.outcome);
    if (filter.requestId !== undefined) q = q.where('request_id', '=', filter.requestId);
    if (filter.kind !== undefined) {
      const kinds: readonly string[] = typeof filter.kind === 'string' ? [filter.kind] : filter.kind;
      if (kinds.length === 0) return { entries: [] };
      q = q.where('kind', 'in', kinds);
    }
    if (filter.from !== undefined) q = q.where('at', '>=', filter.from);
    if (filter.to !== undefined) q = q.where('at', '<', filter.to);
    if (options.cursor !== undefined) {
      const m = CURSOR.exec(options.cursor);
      if (m === null) throw new GatehouseError('invalid_input', { message: 'cursor is not one this log returned', details: { field: 'cursor' } });
      const at = Number(m[1]);
      const id = options.cursor;
      q = newest
        ? q.where((eb) => eb.or([eb('at', '<', at), eb.and([eb('at', '=', at), eb('id', '<', id)])]))
        : q.where((eb) => eb.or([eb('at', '>', at), eb.and([eb('at', '=', at), eb('id', '>', id)])]));
    }
    const direction = newest ? 'desc' : 'asc';
    // One row more than the page tells whether there is a next page.
    const rows = await q.orderBy('at', direction).orderBy('id', direction).limit(limit + 1).execute();
    const entries = rows.slice(0, limit).map(fromRow);
    const last = entries.at(-1);
    return rows.length > limit && last !== undefined ? { entries, nextCursor: last.id } : { entries };
  }

  /** Every matching entry, a page at a time (exports); memory stays one page. */
  async *all(filter: AuditFilter = {}, options: Omit<AuditPageOptions, 'cursor'> = {}): AsyncGenerator<AuditRecord> {
    let cursor: string | undefined;
    do {
      const page = await this.page(filter, { limit: 500, ...options, ...(cursor === undefined ? {} : { cursor }) });
      yield* page.entries;
      cursor = page.nextCursor;
    } while (cursor !== undefined);
  }
}
