import type { Kysely, Migration } from 'kysely';
import type { MigrationSet } from '../../src/store/migrate.js';

// Column sizes: ids are `prefix_` + 16 characters; ISO timestamps are 24 characters.
const ID = 'varchar(40)';
const TS = 'varchar(32)';

/** Mailroom's whole schema. Every table is keyed by `org_id` first, the tenant. */
const m0001Core: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('mailroom_organizations')
      .addColumn('org_id', ID, (c) => c.primaryKey())
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('plan', 'varchar(40)', (c) => c.notNull())
      .addColumn('timezone', 'varchar(64)', (c) => c.notNull())
      .addColumn('website', 'varchar(300)')
      .addColumn('created_at', TS, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('mailroom_subscribers')
      .addColumn('id', ID, (c) => c.primaryKey())
      .addColumn('org_id', ID, (c) => c.notNull())
      .addColumn('email', 'varchar(320)', (c) => c.notNull())
      .addColumn('first_name', 'varchar(100)')
      .addColumn('last_name', 'varchar(100)')
      .addColumn('status', 'varchar(20)', (c) => c.notNull())
      .addColumn('source', 'varchar(20)', (c) => c.notNull())
      .addColumn('created_at', TS, (c) => c.notNull())
      .addColumn('updated_at', TS, (c) => c.notNull())
      .addColumn('unsubscribed_at', TS)
      .execute();
    // One address per organization; the same address may exist in another one.
    await db.schema.createIndex('mailroom_subscribers_org_email').unique().on('mailroom_subscribers').columns(['org_id', 'email']).execute();
    await db.schema.createIndex('mailroom_subscribers_org_created').on('mailroom_subscribers').columns(['org_id', 'created_at', 'id']).execute();

    await db.schema
      .createTable('mailroom_subscriber_tags')
      .addColumn('org_id', ID, (c) => c.notNull())
      .addColumn('subscriber_id', ID, (c) => c.notNull().references('mailroom_subscribers.id').onDelete('cascade'))
      .addColumn('tag', 'varchar(40)', (c) => c.notNull())
      .addPrimaryKeyConstraint('mailroom_subscriber_tags_pk', ['subscriber_id', 'tag'])
      .execute();
    await db.schema.createIndex('mailroom_subscriber_tags_org_tag').on('mailroom_subscriber_tags').columns(['org_id', 'tag']).execute();

    await db.schema
      .createTable('mailroom_segments')
      .addColumn('id', ID, (c) => c.primaryKey())
      .addColumn('org_id', ID, (c) => c.notNull())
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('description', 'text')
      .addColumn('rule', 'text', (c) => c.notNull())
      .addColumn('created_at', TS, (c) => c.notNull())
      .addColumn('updated_at', TS, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('mailroom_segments_org').on('mailroom_segments').columns(['org_id', 'name']).execute();

    await db.schema
      .createTable('mailroom_sender_profiles')
      .addColumn('id', ID, (c) => c.primaryKey())
      .addColumn('org_id', ID, (c) => c.notNull())
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('from_name', 'varchar(200)', (c) => c.notNull())
      .addColumn('from_email', 'varchar(320)', (c) => c.notNull())
      .addColumn('reply_to', 'varchar(320)')
      .addColumn('verified', 'integer', (c) => c.notNull())
      .addColumn('created_at', TS, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('mailroom_sender_profiles_org').on('mailroom_sender_profiles').column('org_id').execute();

    // segment_id has no foreign key on purpose: sent campaigns keep the id of a segment deleted later.
    await db.schema
      .createTable('mailroom_campaigns')
      .addColumn('id', ID, (c) => c.primaryKey())
      .addColumn('org_id', ID, (c) => c.notNull())
      .addColumn('name', 'varchar(200)', (c) => c.notNull())
      .addColumn('subject', 'varchar(300)')
      .addColumn('preheader', 'varchar(300)')
      .addColumn('body_html', 'text')
      .addColumn('body_text', 'text')
      .addColumn('status', 'varchar(20)', (c) => c.notNull())
      .addColumn('segment_id', ID)
      .addColumn('sender_profile_id', ID)
      .addColumn('scheduled_at', TS)
      .addColumn('sent_at', TS)
      .addColumn('created_at', TS, (c) => c.notNull())
      .addColumn('updated_at', TS, (c) => c.notNull())
      .execute();
    await db.schema.createIndex('mailroom_campaigns_org_created').on('mailroom_campaigns').columns(['org_id', 'created_at', 'id']).execute();
    await db.schema.createIndex('mailroom_campaigns_org_status').on('mailroom_campaigns').columns(['org_id', 'status']).execute();

    await db.schema
      .createTable('mailroom_campaign_stats')
      .addColumn('campaign_id', ID, (c) => c.primaryKey().references('mailroom_campaigns.id').onDelete('cascade'))
      .addColumn('org_id', ID, (c) => c.notNull())
      .addColumn('recipients', 'integer', (c) => c.notNull())
      .addColumn('deliveries', 'integer', (c) => c.notNull())
      .addColumn('opens', 'integer', (c) => c.notNull())
      .addColumn('clicks', 'integer', (c) => c.notNull())
      .addColumn('bounces', 'integer', (c) => c.notNull())
      .addColumn('unsubscribes', 'integer', (c) => c.notNull())
      .addColumn('updated_at', TS, (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('mailroom_daily_stats')
      .addColumn('org_id', ID, (c) => c.notNull())
      .addColumn('day', 'varchar(10)', (c) => c.notNull())
      .addColumn('sends', 'integer', (c) => c.notNull())
      .addColumn('deliveries', 'integer', (c) => c.notNull())
      .addColumn('opens', 'integer', (c) => c.notNull())
      .addColumn('clicks', 'integer', (c) => c.notNull())
      .addColumn('bounces', 'integer', (c) => c.notNull())
      .addColumn('unsubscribes', 'integer', (c) => c.notNull())
      .addColumn('new_subscribers', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('mailroom_daily_stats_pk', ['org_id', 'day'])
      .execute();

    await db.schema
      .createTable('mailroom_link_clicks')
      .addColumn('org_id', ID, (c) => c.notNull())
      .addColumn('campaign_id', ID, (c) => c.notNull().references('mailroom_campaigns.id').onDelete('cascade'))
      .addColumn('url', 'varchar(2000)', (c) => c.notNull())
      .addColumn('clicks', 'integer', (c) => c.notNull())
      .addColumn('unique_clicks', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('mailroom_link_clicks_pk', ['campaign_id', 'url'])
      .execute();
    await db.schema.createIndex('mailroom_link_clicks_org').on('mailroom_link_clicks').columns(['org_id', 'campaign_id']).execute();
  },
  async down(db: Kysely<unknown>) {
    for (const table of [
      'mailroom_link_clicks',
      'mailroom_daily_stats',
      'mailroom_campaign_stats',
      'mailroom_campaigns',
      'mailroom_sender_profiles',
      'mailroom_segments',
      'mailroom_subscriber_tags',
      'mailroom_subscribers',
      'mailroom_organizations',
    ]) {
      await db.schema.dropTable(table).execute();
    }
  },
};

/** Mailroom's migrations, beside Gatehouse's own in the same database. Never rename one that shipped. */
export const mailroomMigrations: MigrationSet = {
  table: 'mailroom_migrations',
  migrations: {
    '0001-mailroom-core': m0001Core,
  },
};
