import type { Kysely, Migration } from 'kysely';

/**
 * The tool policy pipeline's state: per-organization write-back and PII
 * settings (B-POL-05, B-POL-08), the organization's connected integrations
 * (B-POL-06), idempotency records (B-POL-03) and the audit log (B-OPS-02).
 */
export const m0006ToolPolicy: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('organizations').addColumn('writeback_enabled', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('organizations').addColumn('pii_mode', 'varchar(20)', (c) => c.notNull().defaultTo('masked')).execute();
    await db.schema
      .createTable('connectors')
      .addColumn('organization_id', 'varchar(40)', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
      .addColumn('connector', 'varchar(60)', (c) => c.notNull())
      .addColumn('connected_by', 'varchar(40)')
      .addColumn('connected_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint')
      .addColumn('sealed_credential', 'text')
      .addPrimaryKeyConstraint('connectors_pk', ['organization_id', 'connector'])
      .execute();
    await db.schema
      .createTable('idempotency_keys')
      .addColumn('scope_key', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('args_hash', 'varchar(64)', (c) => c.notNull())
      .addColumn('state', 'varchar(10)', (c) => c.notNull())
      .addColumn('result', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('idempotency_keys_expires').on('idempotency_keys').column('expires_at').execute();
    await db.schema
      .createTable('audit_log')
      .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('kind', 'varchar(40)', (c) => c.notNull())
      .addColumn('outcome', 'varchar(60)', (c) => c.notNull())
      .addColumn('user_id', 'varchar(40)')
      .addColumn('organization_id', 'varchar(40)')
      .addColumn('client_id', 'varchar(200)')
      .addColumn('credential_id', 'varchar(200)')
      .addColumn('tool', 'varchar(128)')
      .addColumn('duration_ms', 'integer')
      .addColumn('request_id', 'varchar(80)')
      .addColumn('detail', 'text')
      .execute();
    await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
    await db.schema.createIndex('audit_log_organization_at').on('audit_log').columns(['organization_id', 'at']).execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('audit_log').execute();
    await db.schema.dropTable('idempotency_keys').execute();
    await db.schema.dropTable('connectors').execute();
    await db.schema.alterTable('organizations').dropColumn('pii_mode').execute();
    await db.schema.alterTable('organizations').dropColumn('writeback_enabled').execute();
  },
};
