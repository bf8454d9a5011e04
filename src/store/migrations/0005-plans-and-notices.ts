import type { Kysely, Migration } from 'kysely';

/**
 * When an organization's plan last changed (live tokens issued before a
 * downgrade keep working until they expire, B-PLAN-03), profiles inside an
 * organization, and the change notices that tell every process to drop a
 * cached plan, role or key at once (B-PLAN-02).
 */
export const m0005PlansAndNotices: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('organizations').addColumn('plan_changed_at', 'bigint').execute();
    await db.schema
      .createTable('profiles')
      .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
      .addColumn('organization_id', 'varchar(40)', (c) => c.notNull().references('organizations.id').onDelete('cascade'))
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('profiles_organization').on('profiles').column('organization_id').execute();
    await db.schema
      .createTable('change_notices')
      .addColumn('id', 'varchar(40)', (c) => c.primaryKey())
      .addColumn('topic', 'varchar(40)', (c) => c.notNull())
      .addColumn('subject', 'varchar(200)', (c) => c.notNull())
      .addColumn('at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('change_notices_at').on('change_notices').column('at').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('change_notices').execute();
    await db.schema.dropTable('profiles').execute();
    await db.schema.alterTable('organizations').dropColumn('plan_changed_at').execute();
  },
};
