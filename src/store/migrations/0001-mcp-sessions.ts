import type { Kysely, Migration } from 'kysely';

/** Sessions of 2025-11-25 clients (the initialize handshake), so any instance can serve them. */
export const m0001McpSessions: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('mcp_sessions')
      .addColumn('id_hash', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('credential_id', 'varchar(200)', (c) => c.notNull())
      .addColumn('protocol_version', 'varchar(20)', (c) => c.notNull())
      .addColumn('client_info', 'text')
      .addColumn('client_capabilities', 'text', (c) => c.notNull())
      .addColumn('log_level', 'varchar(20)')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('mcp_sessions_last_seen').on('mcp_sessions').column('last_seen_at').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('mcp_sessions').execute();
  },
};
