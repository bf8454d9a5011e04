import { describe, expect, it } from 'vitest';
import { ACME, expectError, GLOBEX, openDemo, seededIds } from './fixtures.js';

describe('Mailroom segment and sender profile tools', () => {
  it('list_segments returns every segment with its rule summary and live member count', async () => {
    const demo = await openDemo();
    const page = await demo.call('list_segments');
    expect(page.total).toBe(5);
    const all = page.items.find((s: { name: string }) => s.name === 'All subscribers');
    expect(all).toMatchObject({ rule_summary: 'All subscribed subscribers', member_count: 51 });
    const outdoors = page.items.find((s: { name: string }) => s.name === 'Hikers & campers');
    expect(outdoors.rule_summary).toBe('Subscribed, tagged "hiking" or tagged "camping"');
    const twoPages = await demo.call('list_segments', { limit: 3 });
    const rest = await demo.call('list_segments', { limit: 3, cursor: twoPages.next_cursor });
    expect([...twoPages.items, ...rest.items].map((s: { id: string }) => s.id).sort()).toEqual(page.items.map((s: { id: string }) => s.id).sort());
    expect(rest.next_cursor).toBeNull();
  });

  it('get_segment counts members live: unsubscribing someone shrinks it', async () => {
    const demo = await openDemo();
    const vip = (await demo.call('list_segments')).items.find((s: { name: string }) => s.name === 'VIP customers');
    const member = (await demo.call('list_subscribers', { tag: 'vip', status: 'subscribed' })).items[0];
    await demo.call('unsubscribe_subscriber', { subscriber_id: member.id });
    const after = await demo.call('get_segment', { segment_id: vip.id });
    expect(after.member_count).toBe(vip.member_count - 1);
  });

  it('preview_segment evaluates a rule without saving it', async () => {
    const demo = await openDemo();
    const preview = await demo.call('preview_segment', {
      rule: { match: 'all', conditions: [{ field: 'tag', operator: 'has', value: 'hiking' }, { field: 'email_domain', operator: 'is', value: 'Example.ORG' }] },
    });
    expect(preview.rule_summary).toBe('Subscribed, tagged "hiking" and email at example.org');
    expect(preview.sample.length).toBe(Math.min(5, preview.member_count));
    for (const s of preview.sample) {
      expect(s.tags).toContain('hiking');
      expect(s.email.endsWith('@example.org')).toBe(true);
      expect(s.status).toBe('subscribed');
    }
    expect((await demo.call('list_segments')).total).toBe(5);
  });

  it('create_segment saves a rule and refuses a duplicate name', async () => {
    const demo = await openDemo();
    const created = await demo.call('create_segment', {
      name: 'Recent non-VIPs',
      description: 'Win-back audience',
      rule: { conditions: [{ field: 'created_at', operator: 'on_or_after', value: '2025-09-01' }, { field: 'tag', operator: 'has_not', value: 'vip' }] },
    });
    expect(created.id).toMatch(/^seg_/);
    expect(created.rule.match).toBe('all');
    expect(created.member_count).toBeGreaterThan(0);
    const dup = await expectError(demo.call('create_segment', { name: 'Recent non-VIPs', rule: { conditions: [] } }), 'invalid_state');
    expect(dup.details).toMatchObject({ field: 'name', id: created.id });
    // Names are unique per organization only.
    await demo.call('create_segment', { name: 'Recent non-VIPs', rule: { conditions: [] } }, GLOBEX);
  });

  it('B-POL-09: a malformed rule is invalid_input naming the path of the bad condition', async () => {
    const demo = await openDemo();
    const badField = await expectError(demo.call('create_segment', { name: 'x', rule: { conditions: [{ field: 'city', operator: 'is', value: 'Denver' }] } }), 'invalid_input');
    expect(badField.details.field).toBe('rule.conditions[0].field');
    const badDate = await expectError(
      demo.call('create_segment', { name: 'x', rule: { conditions: [{ field: 'tag', operator: 'has', value: 'vip' }, { field: 'created_at', operator: 'before', value: '01/02/2025' }] } }),
      'invalid_input',
    );
    expect(badDate.details.field).toBe('rule.conditions[1].value');
    expect(badDate.message).toContain('Dates are YYYY-MM-DD');
    const noName = await expectError(demo.call('create_segment', { rule: { conditions: [] } }), 'invalid_input');
    expect(noName.details.field).toBe('name');
    expect(noName.message).toContain('name is required');
  });

  it('delete_segment clears drafts that used it and refuses while a scheduled campaign targets it', async () => {
    const demo = await openDemo();
    const ids = await seededIds(demo.db, ACME);
    const draft = await demo.call('create_campaign', { name: 'Uses segment', segment_id: ids.segment });
    const result = await demo.call('delete_segment', { segment_id: ids.segment, confirm: true });
    expect(result.deleted).toBe(true);
    expect(result.drafts_cleared).toContain(draft.id);
    expect((await demo.call('get_campaign', { campaign_id: draft.id })).segment_id).toBeNull();
    await expectError(demo.call('get_segment', { segment_id: ids.segment }), 'not_found');

    const scheduled = await demo.call('get_campaign', { campaign_id: ids.scheduled });
    const refused = await expectError(demo.call('delete_segment', { segment_id: scheduled.segment_id, confirm: true }), 'invalid_state');
    expect(refused.details.campaigns).toContain(ids.scheduled);
  });

  it('duplicate_campaign of a sent campaign whose segment was deleted gives a draft without a segment', async () => {
    const demo = await openDemo();
    const sent = (await demo.call('list_campaigns', { status: 'sent' })).items.find((c: { segment_id: string }) => c.segment_id !== null);
    const users = (await demo.call('list_campaigns', { status: 'scheduled' })).items.filter((c: { segment_id: string }) => c.segment_id === sent.segment_id);
    for (const c of users) await demo.call('unschedule_campaign', { campaign_id: c.id });
    await demo.call('delete_segment', { segment_id: sent.segment_id, confirm: true });
    expect((await demo.call('get_campaign', { campaign_id: sent.id })).segment_id).toBe(sent.segment_id);
    expect((await demo.call('duplicate_campaign', { campaign_id: sent.id })).segment_id).toBeNull();
  });

  it('list_sender_profiles lists both Acme profiles, verified', async () => {
    const demo = await openDemo();
    const page = await demo.call('list_sender_profiles');
    expect(page.total).toBe(2);
    expect(page.next_cursor).toBeNull();
    expect(page.items.map((p: { name: string; verified: boolean }) => [p.name, p.verified])).toEqual([
      ['Newsletter', true],
      ['Promotions', true],
    ]);
    expect((await demo.call('list_sender_profiles', {}, GLOBEX)).total).toBe(1);
  });

  it('create_sender_profile is verified only on a domain the account already verified', async () => {
    const demo = await openDemo();
    const same = await demo.call('create_sender_profile', { name: 'Events', from_name: 'Acme Events', from_email: 'Events@Acme-Outfitters.example.com', reply_to: 'help@acme-outfitters.example.com' });
    expect(same).toMatchObject({ verified: true, from_email: 'events@acme-outfitters.example.com' });
    const other = await demo.call('create_sender_profile', { name: 'Agency', from_name: 'Acme via Agency', from_email: 'acme@agency.example.org' });
    expect(other).toMatchObject({ verified: false, reply_to: null });
    // Globex has not verified Acme's domain.
    expect((await demo.call('create_sender_profile', { name: 'Spoof', from_name: 'Acme', from_email: 'news@acme-outfitters.example.com' }, GLOBEX)).verified).toBe(false);
    const bad = await expectError(demo.call('create_sender_profile', { name: 'x', from_name: 'x', from_email: 'nope' }), 'invalid_input');
    expect(bad.details.field).toBe('from_email');
    expect(bad.message).toContain('A valid email address is required');
  });
});
