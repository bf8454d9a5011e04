import type { Kysely, Migration } from 'kysely';

/** The authorization server's storage: oidc-provider payloads, our index of grants, clients and signing keys. */
export const m0003OAuth: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('oidc_payloads')
      .addColumn('model', 'varchar(40)', (c) => c.notNull())
      .addColumn('id', 'varchar(512)', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('grant_id', 'varchar(128)')
      .addColumn('uid', 'varchar(128)')
      .addColumn('user_code', 'varchar(128)')
      .addColumn('expires_at', 'bigint')
      .addColumn('consumed_at', 'bigint')
      .addPrimaryKeyConstraint('oidc_payloads_pk', ['model', 'id'])
      .execute();
    await db.schema.createIndex('oidc_payloads_grant').on('oidc_payloads').column('grant_id').execute();
    await db.schema.createIndex('oidc_payloads_uid').on('oidc_payloads').column('uid').execute();
    await db.schema.createIndex('oidc_payloads_expires').on('oidc_payloads').column('expires_at').execute();
    // One row per sign-in from a client: a refresh-token family (B-AUTH-09).
    await db.schema
      .createTable('oauth_grants')
      .addColumn('grant_id', 'varchar(128)', (c) => c.primaryKey())
      .addColumn('user_id', 'varchar(40)', (c) => c.notNull())
      .addColumn('organization_id', 'varchar(40)')
      .addColumn('client_id', 'varchar(512)', (c) => c.notNull())
      .addColumn('client_name', 'varchar(200)')
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('last_used_at', 'bigint', (c) => c.notNull())
      .addColumn('revoked_at', 'bigint')
      .execute();
    await db.schema.createIndex('oauth_grants_user').on('oauth_grants').column('user_id').execute();
    // Registered clients and when they were last used: unused ones are removed.
    await db.schema
      .createTable('oauth_clients')
      .addColumn('client_id', 'varchar(512)', (c) => c.primaryKey())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('last_used_at', 'bigint')
      .execute();
    await db.schema
      .createTable('signing_keys')
      .addColumn('kid', 'varchar(64)', (c) => c.primaryKey())
      .addColumn('sealed_jwk', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    for (const table of ['signing_keys', 'oauth_clients', 'oauth_grants', 'oidc_payloads']) await db.schema.dropTable(table).execute();
  },
};
