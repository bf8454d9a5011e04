import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/database.js';
import { createMailroom } from '../../examples/demo/mailroom.js';
import { addDays, dayOf } from '../../examples/demo/dates.js';
import type { MailroomSchema } from '../../examples/demo/schema.js';
import { seedMailroom } from '../../examples/demo/seed.js';
import { parseRule, ruleMatches, segmentMembers } from '../../examples/demo/segment-rule.js';
import { NOW, openDemo } from './fixtures.js';

type Table = keyof MailroomSchema;
const TABLES: Table[] = [
  'mailroom_organizations',
  'mailroom_subscribers',
  'mailroom_subscriber_tags',
  'mailroom_segments',
  'mailroom_sender_profiles',
  'mailroom_campaigns',
  'mailroom_campaign_stats',
  'mailroom_daily_stats',
  'mailroom_link_clicks',
];

async function dump(db: Awaited<ReturnType<typeof openDemo>>['db']): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const table of TABLES) out[table] = await db.selectFrom(table).selectAll().orderBy(table === 'mailroom_organizations' ? 'org_id' : 'org_id').execute();
  return out;
}

describe('Mailroom seed', () => {
  it('creates Acme and Globex with the documented volumes', async () => {
    const { db } = await openDemo();
    const count = async (table: Table, org: string) =>
      Number((await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('org_id', '=', org).executeTakeFirstOrThrow()).n);
    const orgs = await db.selectFrom('mailroom_organizations').select(['org_id', 'name']).orderBy('org_id').execute();
    expect(orgs).toEqual([
      { org_id: 'org_acme', name: 'Acme Outfitters' },
      { org_id: 'org_globex', name: 'Globex Corporation' },
    ]);
    expect(await count('mailroom_subscribers', 'org_acme')).toBe(60);
    expect(await count('mailroom_subscribers', 'org_globex')).toBe(25);
    expect(await count('mailroom_segments', 'org_acme')).toBe(5);
    expect(await count('mailroom_segments', 'org_globex')).toBe(4);
    expect(await count('mailroom_sender_profiles', 'org_acme')).toBe(2);
    expect(await count('mailroom_sender_profiles', 'org_globex')).toBe(1);
    expect(await count('mailroom_daily_stats', 'org_acme')).toBe(120);
    for (const org of ['org_acme', 'org_globex']) {
      const statuses = new Set((await db.selectFrom('mailroom_campaigns').select('status').where('org_id', '=', org).execute()).map((r) => r.status));
      expect([...statuses].sort()).toEqual(['draft', 'scheduled', 'sent']);
      const subStatuses = new Set((await db.selectFrom('mailroom_subscribers').select('status').where('org_id', '=', org).execute()).map((r) => r.status));
      expect([...subStatuses].sort()).toEqual(['bounced', 'subscribed', 'unsubscribed']);
    }
  });

  it('ends the daily series yesterday and puts scheduled campaigns in the future', async () => {
    const { db } = await openDemo();
    const days = await db.selectFrom('mailroom_daily_stats').select('day').where('org_id', '=', 'org_acme').orderBy('day').execute();
    expect(days[0]?.day).toBe(addDays(dayOf(NOW), -120));
    expect(days.at(-1)?.day).toBe(addDays(dayOf(NOW), -1));
    const scheduled = await db.selectFrom('mailroom_campaigns').select('scheduled_at').where('status', '=', 'scheduled').execute();
    expect(scheduled.length).toBeGreaterThan(0);
    for (const c of scheduled) expect(Date.parse(c.scheduled_at ?? '')).toBeGreaterThan(NOW.getTime());
    const sent = await db.selectFrom('mailroom_campaigns').select(['id', 'sent_at']).where('status', '=', 'sent').execute();
    for (const c of sent) expect(Date.parse(c.sent_at ?? '')).toBeLessThan(NOW.getTime());
    const stats = await db.selectFrom('mailroom_campaign_stats').select('campaign_id').execute();
    expect(stats.map((s) => s.campaign_id).sort()).toEqual(sent.map((c) => c.id).sort());
  });

  it('uses only reserved example domains for every address', async () => {
    const { db } = await openDemo();
    const emails = [
      ...(await db.selectFrom('mailroom_subscribers').select('email').execute()).map((r) => r.email),
      ...(await db.selectFrom('mailroom_sender_profiles').select('from_email').execute()).map((r) => r.from_email),
    ];
    for (const email of emails) expect(email).toMatch(/^[a-z0-9._+-]+@([a-z0-9-]+\.)*example\.(com|org)$/);
    const acme = await db.selectFrom('mailroom_subscribers').select('email').where('org_id', '=', 'org_acme').execute();
    expect(new Set(acme.map((r) => r.email)).size).toBe(acme.length);
  });

  it('is idempotent: a restart on the same database adds nothing', async () => {
    const demo = await openDemo();
    const before = await dump(demo.db);
    await createMailroom(demo.database, { now: () => new Date(NOW.getTime() + 86_400_000) });
    expect(await seedMailroom(demo.db, { now: NOW })).toEqual([]);
    expect(await dump(demo.db)).toEqual(before);
  });

  it('is deterministic: the same clock gives the same rows', async () => {
    const a = await openDemo();
    const b = await openDemo();
    expect(await dump(a.db)).toEqual(await dump(b.db));
    const later = await openDemo(new Date('2026-02-01T08:00:00.000Z'));
    expect(await dump(later.db)).not.toEqual(await dump(a.db));
  });

  it('can skip seeding', async () => {
    const database = openDatabase({ kind: 'sqlite', file: ':memory:' });
    await createMailroom(database, { now: () => NOW, seed: false });
    const rows = await database.db.withTables<MailroomSchema>().selectFrom('mailroom_subscribers').selectAll().execute();
    expect(rows).toEqual([]);
    await database.close();
  });

  it('evaluates segment rules the same in SQL and in memory', async () => {
    const { db } = await openDemo();
    for (const org of ['org_acme', 'org_globex']) {
      const subscribers = await db.selectFrom('mailroom_subscribers').selectAll().where('org_id', '=', org).execute();
      const tags = await db.selectFrom('mailroom_subscriber_tags').selectAll().where('org_id', '=', org).execute();
      for (const segment of await db.selectFrom('mailroom_segments').selectAll().where('org_id', '=', org).execute()) {
        const rule = parseRule(segment.rule);
        const sql = (await db.selectFrom('mailroom_subscribers').select('id').where(segmentMembers(org, rule)).execute()).map((r) => r.id).sort();
        const memory = subscribers
          .filter((s) => s.status === 'subscribed' && ruleMatches(rule, { ...s, tags: tags.filter((t) => t.subscriber_id === s.id).map((t) => t.tag) }))
          .map((s) => s.id)
          .sort();
        expect(sql, segment.name).toEqual(memory);
        expect(sql.length, `${segment.name} should not be empty`).toBeGreaterThan(0);
      }
    }
  });
});
