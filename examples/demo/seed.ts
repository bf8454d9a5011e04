import type { Kysely } from 'kysely';
import { isUniqueViolation } from './context.js';
import type { MailroomSchema } from './schema.js';
import { ORG_SEEDS } from './seed-data.js';
import { generateOrg, type OrgRows } from './seed-generate.js';

export interface SeedOptions {
  /** The clock the data is relative to: daily stats end the day before, scheduled campaigns lie after. */
  readonly now?: Date;
}

// Small batches keep every insert well under SQLite's and PostgreSQL's bound-parameter limits.
const BATCH = 100;

async function insertAll<T extends keyof MailroomSchema>(db: Kysely<MailroomSchema>, table: T, rows: readonly MailroomSchema[T][]): Promise<void> {
  for (let i = 0; i < rows.length; i += BATCH) {
    // Kysely cannot relate a generic table name to its row type, hence the widening.
    await db.insertInto(table).values(rows.slice(i, i + BATCH) as never).execute();
  }
}

async function insertOrg(db: Kysely<MailroomSchema>, rows: OrgRows): Promise<void> {
  await db.transaction().execute(async (trx) => {
    // The organization row goes first: when two instances seed at once, the loser fails here.
    await trx.insertInto('mailroom_organizations').values(rows.organization).execute();
    await insertAll(trx, 'mailroom_subscribers', rows.subscribers);
    await insertAll(trx, 'mailroom_subscriber_tags', rows.tags);
    await insertAll(trx, 'mailroom_segments', rows.segments);
    await insertAll(trx, 'mailroom_sender_profiles', rows.senderProfiles);
    await insertAll(trx, 'mailroom_campaigns', rows.campaigns);
    await insertAll(trx, 'mailroom_campaign_stats', rows.campaignStats);
    await insertAll(trx, 'mailroom_daily_stats', rows.dailyStats);
    await insertAll(trx, 'mailroom_link_clicks', rows.linkClicks);
  });
}

/**
 * Seeds the demo organizations that do not exist yet, each in one transaction,
 * so a restart (or a second instance) never duplicates data. Returns the ids of
 * the organizations it created.
 */
export async function seedMailroom(db: Kysely<MailroomSchema>, options: SeedOptions = {}): Promise<readonly string[]> {
  const now = options.now ?? new Date();
  const seeded: string[] = [];
  for (const seed of ORG_SEEDS) {
    const existing = await db.selectFrom('mailroom_organizations').select('org_id').where('org_id', '=', seed.orgId).executeTakeFirst();
    if (existing !== undefined) continue;
    try {
      await insertOrg(db, generateOrg(seed, now));
      seeded.push(seed.orgId);
    } catch (error) {
      // Lost the race to another instance: fine. Any other failure is a real one.
      const raced = isUniqueViolation(error) && (await db.selectFrom('mailroom_organizations').select('org_id').where('org_id', '=', seed.orgId).executeTakeFirst()) !== undefined;
      if (!raced) throw error;
    }
  }
  return seeded;
}
