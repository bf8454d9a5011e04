import { describe, expect, it } from 'vitest';
import { ACME, expectError, GLOBEX, NOW, openDemo, seededIds, type Demo } from './fixtures.js';

const FUTURE = '2025-11-27T16:00:00Z';

async function campaignsByStatus(demo: Demo, status: string, orgId = ACME): Promise<{ id: string; name: string; segment_id: string | null }[]> {
  const page: { items: { id: string; name: string; segment_id: string | null }[] } = await demo.call('list_campaigns', { status }, orgId);
  return page.items;
}

/** A draft on Acme with content and a segment but no sender profile (Acme has two). */
async function draftWithoutProfile(demo: Demo): Promise<string> {
  const ids = await seededIds(demo.db, ACME);
  const created: { id: string; sender_profile_id: string | null } = await demo.call('create_campaign', {
    name: 'Trail report',
    subject: 'Trail report: November',
    body_html: '<p>Snow up high.</p>',
    segment_id: ids.segment,
  });
  expect(created.sender_profile_id).toBeNull();
  return created.id;
}

describe('Mailroom campaign tools', () => {
  it('list_campaigns filters by status and text, without bodies', async () => {
    const demo = await openDemo();
    const all = await demo.call('list_campaigns');
    expect(all.total).toBe(8);
    expect(all.items[0]).not.toHaveProperty('body_html');
    for (const status of ['draft', 'scheduled', 'sent']) {
      const page = await demo.call('list_campaigns', { status });
      expect(page.total).toBeGreaterThan(0);
      expect(page.items.every((c: { status: string }) => c.status === status)).toBe(true);
    }
    const found = await demo.call('list_campaigns', { search: 'clearance' });
    expect(found.items.map((c: { name: string }) => c.name)).toEqual(['Summer Clearance']);
  });

  it('get_campaign returns the full campaign', async () => {
    const demo = await openDemo();
    const ids = await seededIds(demo.db, ACME);
    const campaign = await demo.call('get_campaign', { campaign_id: ids.draft });
    expect(campaign).toMatchObject({ id: ids.draft, status: 'draft' });
    expect(campaign.body_html).toContain('<h1>');
    expect(campaign.body_text).toBeTruthy();
  });

  it('create_campaign saves a draft, deriving the text body from the HTML', async () => {
    const demo = await openDemo();
    const created = await demo.call('create_campaign', { name: 'Fall boots', subject: 'New boots', body_html: '<h1>Boots</h1><p>See <a href="https://acme-outfitters.example.com/boots">the range</a>.</p>' });
    expect(created).toMatchObject({ status: 'draft', name: 'Fall boots', scheduled_at: null, sent_at: null, created_at: NOW.toISOString() });
    expect(created.id).toMatch(/^cmp_[0-9a-f]{16}$/);
    expect(created.body_text).toBe('Boots\nSee the range: https://acme-outfitters.example.com/boots.');
    const missing = await expectError(demo.call('create_campaign', { subject: 'x' }), 'invalid_input');
    expect(missing.details.field).toBe('name');
    expect(missing.message).toContain('name is required');
  });

  it('B-TEN-06: create_campaign picks the only sender profile, and leaves the choice open when there are several', async () => {
    const demo = await openDemo();
    const [globexProfile] = (await demo.call('list_sender_profiles', {}, GLOBEX)).items;
    expect((await demo.call('create_campaign', { name: 'Globex note' }, GLOBEX)).sender_profile_id).toBe(globexProfile.id);
    expect((await demo.call('create_campaign', { name: 'Acme note' }, ACME)).sender_profile_id).toBeNull();
  });

  it('update_campaign changes a draft and clears references with null', async () => {
    const demo = await openDemo();
    const ids = await seededIds(demo.db, ACME);
    const updated = await demo.call('update_campaign', { campaign_id: ids.draft, subject: 'Gift ideas under $50', segment_id: null, preheader: null });
    expect(updated).toMatchObject({ subject: 'Gift ideas under $50', segment_id: null, preheader: null, updated_at: NOW.toISOString() });
    expect((await demo.call('get_campaign', { campaign_id: ids.draft })).subject).toBe('Gift ideas under $50');
    const html = await demo.call('update_campaign', { campaign_id: ids.draft, body_html: '<p>Short and sweet.</p>' });
    expect(html.body_text).toBe('Short and sweet.');
  });

  it('B-ERR-04: updating a sent campaign fails with "Only draft campaigns can be updated"', async () => {
    const demo = await openDemo();
    const ids = await seededIds(demo.db, ACME);
    const error = await expectError(demo.call('update_campaign', { campaign_id: ids.sent, subject: 'Oops' }), 'invalid_state');
    expect(error.message).toBe('Only draft campaigns can be updated');
    expect(error.details).toMatchObject({ resource: 'campaign', id: ids.sent, status: 'sent', allowed_status: ['draft'] });
    expect((await demo.call('get_campaign', { campaign_id: ids.sent })).subject).not.toBe('Oops');
  });

  it('B-ERR-04: updating a scheduled campaign fails the same way until it is unscheduled', async () => {
    const demo = await openDemo();
    const ids = await seededIds(demo.db, ACME);
    const error = await expectError(demo.call('update_campaign', { campaign_id: ids.scheduled, subject: 'Changed' }), 'invalid_state');
    expect(error.message).toBe('Only draft campaigns can be updated');
    expect(error.details.status).toBe('scheduled');
    const draft = await demo.call('unschedule_campaign', { campaign_id: ids.scheduled });
    expect(draft).toMatchObject({ status: 'draft', scheduled_at: null });
    expect((await demo.call('update_campaign', { campaign_id: ids.scheduled, subject: 'Changed' })).subject).toBe('Changed');
    const again = await demo.call('schedule_campaign', { campaign_id: ids.scheduled, scheduled_at: FUTURE });
    expect(again.status).toBe('scheduled');
  });

  it('schedule_campaign moves a complete draft to scheduled with its audience size', async () => {
    const demo = await openDemo();
    const ids = await seededIds(demo.db, ACME);
    const scheduled = await demo.call('schedule_campaign', { campaign_id: ids.draft, scheduled_at: '2025-11-27T09:00:00-07:00' });
    expect(scheduled).toMatchObject({ status: 'scheduled', scheduled_at: '2025-11-27T16:00:00.000Z' });
    expect(scheduled.audience_size).toBeGreaterThan(0);
    const segment = await demo.call('get_segment', { segment_id: scheduled.segment_id });
    expect(scheduled.audience_size).toBe(segment.member_count);
  });

  it('B-ERR-04: scheduling twice fails with "Only draft campaigns can be scheduled"', async () => {
    const demo = await openDemo();
    const ids = await seededIds(demo.db, ACME);
    const error = await expectError(demo.call('schedule_campaign', { campaign_id: ids.scheduled, scheduled_at: FUTURE }), 'invalid_state');
    expect(error.message).toBe('Only draft campaigns can be scheduled');
    const sent = await expectError(demo.call('schedule_campaign', { campaign_id: ids.sent, scheduled_at: FUTURE }), 'invalid_state');
    expect(sent.details.status).toBe('sent');
  });

  it('B-POL-09: schedule_campaign names the field that blocks it', async () => {
    const demo = await openDemo();
    const ids = await seededIds(demo.db, ACME);
    const past = await expectError(demo.call('schedule_campaign', { campaign_id: ids.draft, scheduled_at: '2025-11-20T15:00:00Z' }), 'invalid_input');
    expect(past.details.field).toBe('scheduled_at');
    expect(past.message).toContain('must be in the future');
    const noZone = await expectError(demo.call('schedule_campaign', { campaign_id: ids.draft, scheduled_at: '2025-11-27 16:00' }), 'invalid_input');
    expect(noZone.details.field).toBe('scheduled_at');
    const farAway = await expectError(demo.call('schedule_campaign', { campaign_id: ids.draft, scheduled_at: '2027-11-27T16:00:00Z' }), 'invalid_input');
    expect(farAway.details.field).toBe('scheduled_at');

    const bare = await demo.call('create_campaign', { name: 'Bare' });
    expect((await expectError(demo.call('schedule_campaign', { campaign_id: bare.id, scheduled_at: FUTURE }), 'invalid_input')).details.field).toBe('subject');
    await demo.call('update_campaign', { campaign_id: bare.id, subject: 'Hello' });
    expect((await expectError(demo.call('schedule_campaign', { campaign_id: bare.id, scheduled_at: FUTURE }), 'invalid_input')).details.field).toBe('body_html');
    await demo.call('update_campaign', { campaign_id: bare.id, body_html: '<p>Hi</p>' });
    const noSegment = await expectError(demo.call('schedule_campaign', { campaign_id: bare.id, scheduled_at: FUTURE }), 'invalid_input');
    expect(noSegment.details.field).toBe('segment_id');
    expect(noSegment.message).toContain('update_campaign');
  });

  it('B-TEN-06: schedule_campaign asks which sender profile when there are several, listing them', async () => {
    const demo = await openDemo();
    const id = await draftWithoutProfile(demo);
    const error = await expectError(demo.call('schedule_campaign', { campaign_id: id, scheduled_at: FUTURE }), 'profile_required');
    const profiles = (await demo.call('list_sender_profiles')).items;
    expect(error.details.profiles).toEqual(profiles.map((p: { id: string; name: string; from_name: string; from_email: string }) => ({ id: p.id, name: `${p.name}: ${p.from_name} <${p.from_email}>` })));
    expect(error.message).toContain('sender_profile_id');
    const ok = await demo.call('schedule_campaign', { campaign_id: id, scheduled_at: FUTURE, sender_profile_id: profiles[1].id });
    expect(ok.sender_profile_id).toBe(profiles[1].id);
  });

  it('schedule_campaign refuses an unverified sender profile and an empty audience', async () => {
    const demo = await openDemo();
    const id = await draftWithoutProfile(demo);
    const unverified = await demo.call('create_sender_profile', { name: 'Personal', from_name: 'Sam', from_email: 'sam@example.net' });
    expect(unverified.verified).toBe(false);
    const error = await expectError(demo.call('schedule_campaign', { campaign_id: id, scheduled_at: FUTURE, sender_profile_id: unverified.id }), 'invalid_state');
    expect(error.details).toMatchObject({ resource: 'sender_profile', status: 'unverified', allowed_status: ['verified'] });

    const nobody = await demo.call('create_segment', { name: 'Nobody', rule: { conditions: [{ field: 'email_domain', operator: 'is', value: 'nowhere.example.com' }] } });
    await demo.call('update_campaign', { campaign_id: id, segment_id: nobody.id });
    const empty = await expectError(demo.call('schedule_campaign', { campaign_id: id, scheduled_at: FUTURE, sender_profile_id: (await seededIds(demo.db, ACME)).senderProfile }), 'invalid_state');
    expect(empty.details).toMatchObject({ resource: 'segment', id: nobody.id, member_count: 0 });
  });

  it('B-ERR-04: unscheduling a draft fails with "Only scheduled campaigns can be unscheduled"', async () => {
    const demo = await openDemo();
    const ids = await seededIds(demo.db, ACME);
    const error = await expectError(demo.call('unschedule_campaign', { campaign_id: ids.draft }), 'invalid_state');
    expect(error.message).toBe('Only scheduled campaigns can be unscheduled');
    expect(error.details).toMatchObject({ status: 'draft', allowed_status: ['scheduled'] });
  });

  it('duplicate_campaign copies a sent campaign into a new draft', async () => {
    const demo = await openDemo();
    const ids = await seededIds(demo.db, ACME);
    const original = await demo.call('get_campaign', { campaign_id: ids.sent });
    const copy = await demo.call('duplicate_campaign', { campaign_id: ids.sent });
    expect(copy).toMatchObject({ status: 'draft', name: `Copy of ${original.name}`, subject: original.subject, body_html: original.body_html, segment_id: original.segment_id, sent_at: null, scheduled_at: null });
    expect(copy.id).not.toBe(ids.sent);
    expect((await demo.call('duplicate_campaign', { campaign_id: ids.sent, name: 'Resend' })).name).toBe('Resend');
  });

  it('delete_campaign deletes drafts only', async () => {
    const demo = await openDemo();
    const ids = await seededIds(demo.db, ACME);
    expect(await demo.call('delete_campaign', { campaign_id: ids.draft, confirm: true })).toEqual({ id: ids.draft, deleted: true });
    await expectError(demo.call('get_campaign', { campaign_id: ids.draft }), 'not_found');
    for (const id of [ids.sent, ids.scheduled]) {
      const error = await expectError(demo.call('delete_campaign', { campaign_id: id, confirm: true }), 'invalid_state');
      expect(error.message).toBe('Only draft campaigns can be deleted');
    }
    expect((await demo.call('list_campaigns')).total).toBe(7);
  });

  it('send_test_email sends nothing real and changes nothing', async () => {
    const demo = await openDemo();
    const ids = await seededIds(demo.db, ACME);
    const before = await demo.call('get_campaign', { campaign_id: ids.draft });
    const result = await demo.call('send_test_email', { campaign_id: ids.draft, recipients: ['Me@Example.com', 'me@example.com', 'boss@example.org'] });
    expect(result).toMatchObject({ campaign_id: ids.draft, recipients: ['me@example.com', 'boss@example.org'], subject: `[Test] ${before.subject}`, test: true });
    expect(result.from).toMatch(/^Acme Outfitters <news@acme-outfitters\.example\.com>$/);
    expect(await demo.call('get_campaign', { campaign_id: ids.draft })).toEqual(before);
    const statsRows = await demo.db.selectFrom('mailroom_campaign_stats').selectAll().where('campaign_id', '=', ids.draft).execute();
    expect(statsRows).toEqual([]);
  });

  it('B-POL-09: send_test_email validates every recipient by position', async () => {
    const demo = await openDemo();
    const ids = await seededIds(demo.db, ACME);
    const bad = await expectError(demo.call('send_test_email', { campaign_id: ids.draft, recipients: ['me@example.com', 'not-an-email'] }), 'invalid_input');
    expect(bad.details.field).toBe('recipients[1]');
    expect(bad.message).toContain('A valid email address is required');
    const many = await expectError(demo.call('send_test_email', { campaign_id: ids.draft, recipients: Array.from({ length: 6 }, (_, i) => `t${i}@example.com`) }), 'invalid_input');
    expect(many.message).toContain('A test goes to at most 5 recipients');
    const bare = await demo.call('create_campaign', { name: 'Bare', subject: 'Hi' });
    const noBody = await expectError(demo.call('send_test_email', { campaign_id: bare.id, recipients: ['me@example.com'] }), 'invalid_input');
    expect(noBody.details.field).toBe('body_html');
  });

  it('the seeded unfinished draft cannot be scheduled until it is completed', async () => {
    const demo = await openDemo();
    const drafts = await campaignsByStatus(demo, 'draft');
    const unfinished = drafts.find((c) => c.segment_id === null);
    expect(unfinished).toBeDefined();
    const error = await expectError(demo.call('schedule_campaign', { campaign_id: unfinished?.id, scheduled_at: FUTURE }), 'invalid_input');
    expect(error.details.field).toBe('body_html');
  });
});
