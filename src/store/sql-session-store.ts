import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { LegacySession, SessionStore } from '../protocol/legacy-session.js';
import type { ClientCapabilities, Implementation, LogLevel } from '../tools/tool-context.js';
import type { GatehouseSchema, McpSessionRow } from './schema.js';

function hashId(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

/**
 * 2025-11-25 sessions in the database, so they survive restarts and any
 * instance can serve them. Ids are random and stored hashed; reads are served
 * from memory, and `last_seen_at` is written at most once a minute.
 */
export class SqlSessionStore implements SessionStore {
  readonly #cache = new Map<string, { session: LegacySession; touchedAt: number }>();

  constructor(
    private readonly db: Kysely<GatehouseSchema>,
    /** Sessions idle longer than this are gone, ms. */
    private readonly idleTtlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async create(input: Omit<LegacySession, 'id' | 'logLevel'>): Promise<LegacySession> {
    const id = randomBytes(24).toString('base64url');
    const at = this.now();
    await this.db
      .insertInto('mcp_sessions')
      .values({
        id_hash: hashId(id),
        credential_id: input.credentialId,
        protocol_version: input.protocolVersion,
        client_info: input.clientInfo === undefined ? null : JSON.stringify(input.clientInfo),
        client_capabilities: JSON.stringify(input.clientCapabilities),
        log_level: null,
        created_at: at,
        last_seen_at: at,
      })
      .execute();
    const session: LegacySession = { id, ...input, logLevel: undefined };
    this.#cache.set(id, { session, touchedAt: at });
    return session;
  }

  async get(id: string, credentialId: string): Promise<LegacySession | undefined> {
    const at = this.now();
    const cached = this.#cache.get(id);
    if (cached !== undefined && at - cached.touchedAt < 60_000) {
      return cached.session.credentialId === credentialId ? cached.session : undefined;
    }
    const row = await this.db.selectFrom('mcp_sessions').selectAll().where('id_hash', '=', hashId(id)).executeTakeFirst();
    if (row === undefined || at - row.last_seen_at > this.idleTtlMs) {
      this.#cache.delete(id);
      return undefined;
    }
    await this.db.updateTable('mcp_sessions').set({ last_seen_at: at }).where('id_hash', '=', row.id_hash).execute();
    const session = fromRow(id, row);
    this.#cache.set(id, { session, touchedAt: at });
    return session.credentialId === credentialId ? session : undefined;
  }

  async setLogLevel(id: string, level: LogLevel): Promise<void> {
    await this.db.updateTable('mcp_sessions').set({ log_level: level }).where('id_hash', '=', hashId(id)).execute();
    const cached = this.#cache.get(id);
    if (cached !== undefined) this.#cache.set(id, { ...cached, session: { ...cached.session, logLevel: level } });
  }

  async delete(id: string): Promise<void> {
    this.#cache.delete(id);
    await this.db.deleteFrom('mcp_sessions').where('id_hash', '=', hashId(id)).execute();
  }

  /** Removes sessions idle past the TTL; returns how many. */
  async sweep(): Promise<number> {
    const cutoff = this.now() - this.idleTtlMs;
    for (const [id, entry] of this.#cache) if (entry.touchedAt < cutoff) this.#cache.delete(id);
    const result = await this.db.deleteFrom('mcp_sessions').where('last_seen_at', '<', cutoff).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

function fromRow(id: string, row: McpSessionRow): LegacySession {
  return {
    id,
    credentialId: row.credential_id,
    protocolVersion: row.protocol_version,
    clientInfo: row.client_info === null ? undefined : (JSON.parse(row.client_info) as Implementation),
    clientCapabilities: JSON.parse(row.client_capabilities) as ClientCapabilities,
    logLevel: (row.log_level ?? undefined) as LogLevel | undefined,
  };
}
