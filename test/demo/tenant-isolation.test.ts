import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { MailroomSchema } from '../../examples/demo/schema.js';
import { ACME, expectError, GLOBEX, openDemo, seededIds, type Demo } from './fixtures.js';
import { contextFor } from './harness.js';

type Ids = Awaited<ReturnType<typeof seededIds>>;

/** Valid arguments for every tool, aimed at the caller's own records. */
function validArgs(own: Ids): Record<string, Record<string, unknown>> {
  const future = '2025-12-01T15:00:00Z';
  return {
    get_organization: {},
    update_organization: { timezone: 'Europe/Berlin' },
    list_subscribers: {},
    get_subscriber: { subscriber_id: own.subscriber },
    add_subscriber: { email: 'new.person@example.com' },
    update_subscriber: { subscriber_id: own.subscriber, first_name: 'Changed' },
    unsubscribe_subscriber: { subscriber_id: own.subscriber },
    delete_subscriber: { subscriber_id: own.subscriber, confirm: true },
    tag_subscribers: { subscriber_ids: [own.subscriber], add: ['x'] },
    list_segments: {},
    get_segment: { segment_id: own.segment },
    preview_segment: { rule: { match: 'all', conditions: [] } },
    create_segment: { name: 'Everyone again', rule: { conditions: [] } },
    delete_segment: { segment_id: own.segment, confirm: true },
    list_sender_profiles: {},
    create_sender_profile: { name: 'Ops', from_name: 'Ops', from_email: 'ops@example.com' },
    list_campaigns: {},
    get_campaign: { campaign_id: own.draft },
    create_campaign: { name: 'New', segment_id: own.segment, sender_profile_id: own.senderProfile },
    update_campaign: { campaign_id: own.draft, subject: 'Changed' },
    duplicate_campaign: { campaign_id: own.sent },
    delete_campaign: { campaign_id: own.draft, confirm: true },
    schedule_campaign: { campaign_id: own.draft, scheduled_at: future, sender_profile_id: own.senderProfile },
    unschedule_campaign: { campaign_id: own.scheduled },
    send_test_email: { campaign_id: own.draft, recipients: ['me@example.com'], sender_profile_id: own.senderProfile },
    get_campaign_report: { campaign_id: own.sent },
    get_account_overview: {},
    get_subscriber_growth: {},
    list_top_links: { campaign_id: own.sent },
    send_campaign: { campaign_id: own.draft, sender_profile_id: own.senderProfile, confirm: true },
    sync_crm_contacts: {},
    push_conversions: { from: '2025-10-01', to: '2025-11-19' },
  };
}

/** Every way a tool can be pointed at another organization's record: one case per id argument. */
function foreignCases(own: Ids, foreign: Ids): [tool: string, args: Record<string, unknown>, foreignId: string][] {
  const base = validArgs(own);
  const cases: [string, Record<string, unknown>, string][] = [
    ['get_subscriber', { subscriber_id: foreign.subscriber }, foreign.subscriber],
    ['update_subscriber', { subscriber_id: foreign.subscriber, first_name: 'Mallory' }, foreign.subscriber],
    ['unsubscribe_subscriber', { subscriber_id: foreign.subscriber }, foreign.subscriber],
    ['delete_subscriber', { subscriber_id: foreign.subscriber, confirm: true }, foreign.subscriber],
    ['tag_subscribers', { subscriber_ids: [own.subscriber, foreign.subscriber], add: ['leak'] }, foreign.subscriber],
    ['get_segment', { segment_id: foreign.segment }, foreign.segment],
    ['delete_segment', { segment_id: foreign.segment, confirm: true }, foreign.segment],
    ['get_campaign', { campaign_id: foreign.draft }, foreign.draft],
    ['create_campaign', { name: 'x', segment_id: foreign.segment }, foreign.segment],
    ['create_campaign', { name: 'x', sender_profile_id: foreign.senderProfile }, foreign.senderProfile],
    ['update_campaign', { campaign_id: foreign.draft, subject: 'Hijacked' }, foreign.draft],
    ['update_campaign', { campaign_id: own.draft, segment_id: foreign.segment }, foreign.segment],
    ['update_campaign', { campaign_id: own.draft, sender_profile_id: foreign.senderProfile }, foreign.senderProfile],
    ['duplicate_campaign', { campaign_id: foreign.sent }, foreign.sent],
    ['delete_campaign', { campaign_id: foreign.draft, confirm: true }, foreign.draft],
    ['schedule_campaign', { ...base.schedule_campaign, campaign_id: foreign.draft }, foreign.draft],
    ['schedule_campaign', { ...base.schedule_campaign, sender_profile_id: foreign.senderProfile }, foreign.senderProfile],
    ['unschedule_campaign', { campaign_id: foreign.scheduled }, foreign.scheduled],
    ['send_test_email', { ...base.send_test_email, campaign_id: foreign.draft }, foreign.draft],
    ['send_test_email', { ...base.send_test_email, sender_profile_id: foreign.senderProfile }, foreign.senderProfile],
    ['get_campaign_report', { campaign_id: foreign.sent }, foreign.sent],
    ['list_top_links', { campaign_id: foreign.sent }, foreign.sent],
    ['send_campaign', { ...base.send_campaign, campaign_id: foreign.draft }, foreign.draft],
    ['send_campaign', { ...base.send_campaign, sender_profile_id: foreign.senderProfile }, foreign.senderProfile],
  ];
  return cases;
}

/** Top-level input properties that carry a record id. */
function idArguments(demo: Demo, tool: string): string[] {
  const def = demo.tool(tool);
  if (!('zod' in def.input)) return [];
  const schema = z.toJSONSchema(def.input.zod) as { properties?: Record<string, unknown> };
  return Object.keys(schema.properties ?? {}).filter((k) => /_ids?$/.test(k));
}

async function snapshot(demo: Demo, orgId: string): Promise<unknown[]> {
  const tables: (keyof MailroomSchema)[] = ['mailroom_subscribers', 'mailroom_subscriber_tags', 'mailroom_segments', 'mailroom_sender_profiles', 'mailroom_campaigns'];
  return Promise.all(tables.map((t) => demo.db.selectFrom(t).selectAll().where('org_id', '=', orgId).execute()));
}

describe('Mailroom tenant isolation', () => {
  it('the isolation table covers every tool and every id argument', async () => {
    const demo = await openDemo();
    const acme = await seededIds(demo.db, ACME);
    const globex = await seededIds(demo.db, GLOBEX);
    expect(Object.keys(validArgs(acme)).sort()).toEqual(demo.mailroom.tools.map((t) => t.name).sort());
    const covered = new Set(foreignCases(acme, globex).flatMap(([tool, args, foreignId]) => Object.entries(args).filter(([, v]) => v === foreignId || (Array.isArray(v) && v.includes(foreignId))).map(([k]) => `${tool}.${k}`)));
    for (const tool of demo.mailroom.tools) {
      for (const arg of idArguments(demo, tool.name)) expect(covered, `${tool.name}.${arg} has no B-TEN-07 case`).toContain(`${tool.name}.${arg}`);
    }
  });

  it('the valid arguments really are valid (so the cases below fail for the right reason)', async () => {
    for (const [tool, args] of Object.entries(validArgs(await seededIds((await openDemo()).db, ACME)))) {
      const demo = await openDemo();
      await expect(demo.call(tool, args), tool).resolves.toBeDefined();
    }
  });

  it('refuses every tool when no organization is selected', async () => {
    const demo = await openDemo();
    for (const [tool, args] of Object.entries(validArgs(await seededIds(demo.db, ACME)))) {
      const error = await expectError(demo.call(tool, args, null), 'organization_required');
      expect(error.message, tool).toBe('This operation needs an organization, and the credential is not bound to one.');
    }
  });

  it('B-TEN-07: an id of another organization is not_found in every tool that takes an id, and changes nothing', async () => {
    const demo = await openDemo();
    const acme = await seededIds(demo.db, ACME);
    const globex = await seededIds(demo.db, GLOBEX);
    const globexBefore = await snapshot(demo, GLOBEX);
    const acmeBefore = await snapshot(demo, ACME);
    for (const [tool, args, foreignId] of foreignCases(acme, globex)) {
      const error = await expectError(demo.call(tool, args, ACME), 'not_found');
      expect(error.details.id, tool).toBe(foreignId);
      expect(error.message, tool).not.toMatch(/globex/i);
    }
    expect(await snapshot(demo, GLOBEX)).toEqual(globexBefore);
    // Refused calls are atomic: tag_subscribers did not tag the caller's own subscriber either.
    expect(await snapshot(demo, ACME)).toEqual(acmeBefore);
  });

  it('B-TEN-07: another organization\'s id reads exactly like an id that does not exist', async () => {
    const demo = await openDemo();
    const globex = await seededIds(demo.db, GLOBEX);
    for (const [tool, key, foreignId, made] of [
      ['get_subscriber', 'subscriber_id', globex.subscriber, 'sub_0000000000000000'],
      ['get_segment', 'segment_id', globex.segment, 'seg_0000000000000000'],
      ['get_campaign', 'campaign_id', globex.draft, 'cmp_0000000000000000'],
    ] as const) {
      const foreign = await expectError(demo.call(tool, { [key]: foreignId }), 'not_found');
      const missing = await expectError(demo.call(tool, { [key]: made }), 'not_found');
      expect(foreign.message).toBe(missing.message);
      expect(Object.keys(foreign.details).sort()).toEqual(Object.keys(missing.details).sort());
    }
  });

  it('B-TEN-07: it works both ways: Globex cannot reach Acme records', async () => {
    const demo = await openDemo();
    const acme = await seededIds(demo.db, ACME);
    const globex = await seededIds(demo.db, GLOBEX);
    for (const [tool, args] of foreignCases(globex, acme)) await expectError(demo.call(tool, args, GLOBEX), 'not_found');
  });

  it('B-TEN-07: lists and reports only ever contain the caller\'s records', async () => {
    const demo = await openDemo();
    const globexIds = new Set(
      (await Promise.all((['mailroom_subscribers', 'mailroom_segments', 'mailroom_sender_profiles', 'mailroom_campaigns'] as const).map((t) => demo.db.selectFrom(t).select('id').where('org_id', '=', GLOBEX).execute())))
        .flat()
        .map((r) => r.id),
    );
    const outputs = [
      await demo.call('list_subscribers', { limit: 100 }),
      await demo.call('list_segments', { limit: 100 }),
      await demo.call('list_sender_profiles'),
      await demo.call('list_campaigns', { limit: 100 }),
      await demo.call('list_top_links', { limit: 50 }),
      await demo.call('get_organization'),
    ];
    const text = JSON.stringify(outputs);
    for (const id of globexIds) expect(text).not.toContain(id);
    expect(text).not.toMatch(/globex/i);
  });

  it('B-TEN-07: resource templates answer null for another organization\'s ids and list only their own', async () => {
    const demo = await openDemo();
    const acme = await seededIds(demo.db, ACME);
    const globex = await seededIds(demo.db, GLOBEX);
    const templates = demo.mailroom.resources.filter((r) => r.kind === 'resourceTemplate');
    const campaign = templates.find((t) => t.uriTemplate === 'mailroom://campaigns/{id}');
    const segment = templates.find((t) => t.uriTemplate === 'mailroom://segments/{id}');
    const ctx = contextFor(ACME);
    expect(await campaign?.read(`mailroom://campaigns/${globex.draft}`, { id: globex.draft }, ctx)).toBeNull();
    expect(await segment?.read(`mailroom://segments/${globex.segment}`, { id: globex.segment }, ctx)).toBeNull();
    expect(await campaign?.read(`mailroom://campaigns/${acme.draft}`, { id: acme.draft }, ctx)).not.toBeNull();
    await expect(campaign?.read(`mailroom://campaigns/${acme.draft}`, { id: acme.draft }, contextFor(null))).rejects.toMatchObject({ code: 'organization_required' });
    const listed = JSON.stringify([await campaign?.list?.(ctx), await segment?.list?.(ctx)]);
    expect(listed).toContain(acme.draft);
    expect(listed).not.toContain(globex.draft);
    expect(listed).not.toContain(globex.segment);
  });
});
