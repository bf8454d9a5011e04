import { describe, expect, it } from 'vitest';
import { ACME, expectError, GLOBEX, openDemo, seededIds } from './fixtures.js';

describe('Mailroom subscriber tools', () => {
  it('list_subscribers pages through every subscriber exactly once, newest first', async () => {
    const demo = await openDemo();
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await demo.call('list_subscribers', { limit: 25, ...(cursor === undefined ? {} : { cursor }) });
      expect(page.total).toBe(60);
      seen.push(...page.items.map((s: { id: string }) => s.id));
      cursor = page.next_cursor ?? undefined;
      pages++;
    } while (cursor !== undefined);
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(60);
    const first = await demo.call('list_subscribers', { limit: 60 });
    const created = first.items.map((s: { created_at: string }) => s.created_at);
    expect(created).toEqual([...created].sort().reverse());
  });

  it('list_subscribers filters by status, tag and search', async () => {
    const demo = await openDemo();
    const bounced = await demo.call('list_subscribers', { status: 'bounced' });
    expect(bounced.total).toBe(3);
    expect(bounced.items.every((s: { status: string }) => s.status === 'bounced')).toBe(true);

    const vip = await demo.call('list_subscribers', { tag: 'VIP', limit: 100 });
    expect(vip.total).toBeGreaterThan(0);
    expect(vip.items.every((s: { tags: string[] }) => s.tags.includes('vip'))).toBe(true);

    const target = (await demo.call('list_subscribers', { limit: 100 })).items.find((s: { first_name: string | null }) => s.first_name !== null);
    const byName = await demo.call('list_subscribers', { search: `${target.first_name.toUpperCase()} ${target.last_name}`, limit: 100 });
    expect(byName.items.map((s: { id: string }) => s.id)).toContain(target.id);
    const byEmail = await demo.call('list_subscribers', { search: target.email.slice(0, 6) });
    expect(byEmail.items.map((s: { id: string }) => s.id)).toContain(target.id);

    // LIKE wildcards in the search text are matched literally, not as "anything".
    expect((await demo.call('list_subscribers', { search: '%' })).total).toBe(0);
    expect((await demo.call('list_subscribers', { search: '_' })).items.every((s: { email: string; first_name: string | null }) => s.email.includes('_'))).toBe(true);
  });

  it('B-POL-09: a bad cursor or limit is invalid_input naming the field', async () => {
    const demo = await openDemo();
    const cursor = await expectError(demo.call('list_subscribers', { cursor: 'not-a-cursor' }), 'invalid_input');
    expect(cursor.details.field).toBe('cursor');
    const limit = await expectError(demo.call('list_subscribers', { limit: 500 }), 'invalid_input');
    expect(limit.details.field).toBe('limit');
    expect(limit.message).toContain('limit must be a whole number from 1 to 100');
    const status = await expectError(demo.call('list_subscribers', { status: 'active' }), 'invalid_input');
    expect(status.details.field).toBe('status');
    expect(status.message).toContain('subscribed, unsubscribed, bounced');
  });

  it('get_subscriber returns the record with its tags', async () => {
    const demo = await openDemo();
    const ids = await seededIds(demo.db, ACME);
    const sub = await demo.call('get_subscriber', { subscriber_id: ids.subscriber });
    expect(sub.id).toBe(ids.subscriber);
    expect(sub.email).toMatch(/@example\.(com|org)$/);
    expect(Array.isArray(sub.tags)).toBe(true);
    expect(sub).not.toHaveProperty('org_id');
  });

  it('add_subscriber normalises the address and tags, and refuses a duplicate in the same organization', async () => {
    const demo = await openDemo();
    const added = await demo.call('add_subscriber', { email: 'Rowan.Hayes@Example.com', first_name: ' Rowan ', tags: ['Hiking', 'hiking', 'new-lead'] });
    expect(added).toMatchObject({ email: 'rowan.hayes@example.com', first_name: 'Rowan', last_name: null, status: 'subscribed', source: 'api', tags: ['hiking', 'new-lead'] });
    expect(added.id).toMatch(/^sub_[0-9a-f]{16}$/);
    expect(added.created_at).toBe('2025-11-20T15:30:00.000Z');

    const dup = await expectError(demo.call('add_subscriber', { email: 'rowan.hayes@example.com' }), 'invalid_state');
    expect(dup.message).toContain('already exists');
    expect(dup.details).toMatchObject({ resource: 'subscriber', id: added.id, field: 'email' });

    // Uniqueness is per organization: Globex may have the same person.
    const other = await demo.call('add_subscriber', { email: 'rowan.hayes@example.com' }, GLOBEX);
    expect(other.id).not.toBe(added.id);
  });

  it('B-POL-09: add_subscriber validation names the failing field', async () => {
    const demo = await openDemo();
    const missing = await expectError(demo.call('add_subscriber', {}), 'invalid_input');
    expect(missing.details.field).toBe('email');
    expect(missing.message).toContain('A valid email address is required');
    const malformed = await expectError(demo.call('add_subscriber', { email: 'rowan@' }), 'invalid_input');
    expect(malformed.message).toContain('A valid email address is required');
    const tag = await expectError(demo.call('add_subscriber', { email: 'a@example.com', tags: ['ok', 'not ok!'] }), 'invalid_input');
    expect(tag.details.field).toBe('tags[1]');
    const source = await expectError(demo.call('add_subscriber', { email: 'a@example.com', source: 'facebook' }), 'invalid_input');
    expect(source.details.field).toBe('source');
  });

  it('update_subscriber changes only the given fields and guards email uniqueness', async () => {
    const demo = await openDemo();
    const ids = await seededIds(demo.db, ACME);
    const before = await demo.call('get_subscriber', { subscriber_id: ids.subscriber });
    const updated = await demo.call('update_subscriber', { subscriber_id: ids.subscriber, first_name: 'Robin', last_name: null });
    expect(updated).toMatchObject({ first_name: 'Robin', last_name: null, email: before.email, tags: before.tags });
    expect(updated.updated_at).toBe('2025-11-20T15:30:00.000Z');

    const other = (await demo.call('list_subscribers', { limit: 2 })).items.find((s: { id: string }) => s.id !== ids.subscriber);
    const clash = await expectError(demo.call('update_subscriber', { subscriber_id: ids.subscriber, email: other.email }), 'invalid_state');
    expect(clash.details.field).toBe('email');
    // Setting its own address again is not a clash.
    await demo.call('update_subscriber', { subscriber_id: ids.subscriber, email: before.email.toUpperCase() });
  });

  it('unsubscribe_subscriber stops email once, is a no-op the second time, and refuses bounced addresses', async () => {
    const demo = await openDemo();
    const ids = await seededIds(demo.db, ACME);
    const first = await demo.call('unsubscribe_subscriber', { subscriber_id: ids.subscriber });
    expect(first).toMatchObject({ status: 'unsubscribed', changed: true, unsubscribed_at: '2025-11-20T15:30:00.000Z' });
    const again = await demo.call('unsubscribe_subscriber', { subscriber_id: ids.subscriber });
    expect(again.changed).toBe(false);

    const bounced = (await demo.call('list_subscribers', { status: 'bounced' })).items[0];
    const refused = await expectError(demo.call('unsubscribe_subscriber', { subscriber_id: bounced.id }), 'invalid_state');
    expect(refused.details).toMatchObject({ status: 'bounced', allowed_status: ['subscribed'] });
  });

  it('delete_subscriber removes the subscriber and their tags', async () => {
    const demo = await openDemo();
    const tagged = (await demo.call('list_subscribers', { tag: 'vip' })).items[0];
    const result = await demo.call('delete_subscriber', { subscriber_id: tagged.id, confirm: true });
    expect(result).toEqual({ id: tagged.id, deleted: true });
    await expectError(demo.call('get_subscriber', { subscriber_id: tagged.id }), 'not_found');
    const tags = await demo.db.selectFrom('mailroom_subscriber_tags').selectAll().where('subscriber_id', '=', tagged.id).execute();
    expect(tags).toEqual([]);
    expect((await demo.call('list_subscribers')).total).toBe(59);
  });

  it('tag_subscribers adds and removes tags on several subscribers at once', async () => {
    const demo = await openDemo();
    const [a, b] = (await demo.call('list_subscribers', { limit: 2 })).items;
    const result = await demo.call('tag_subscribers', { subscriber_ids: [a.id, b.id, a.id], add: ['Black-Friday'], remove: ['hiking'] });
    expect(result.items).toHaveLength(2);
    for (const s of result.items) {
      expect(s.tags).toContain('black-friday');
      expect(s.tags).not.toContain('hiking');
    }
    // Adding a tag that is already there keeps one copy.
    const again = await demo.call('tag_subscribers', { subscriber_ids: [a.id], add: ['black-friday'] });
    expect(again.items[0].tags.filter((t: string) => t === 'black-friday')).toHaveLength(1);
    expect((await demo.call('list_subscribers', { tag: 'black-friday' })).total).toBe(2);

    const nothing = await expectError(demo.call('tag_subscribers', { subscriber_ids: [a.id] }), 'invalid_input');
    expect(nothing.details.field).toBe('add');
    const empty = await expectError(demo.call('tag_subscribers', { subscriber_ids: [], add: ['x'] }), 'invalid_input');
    expect(empty.details.field).toBe('subscriber_ids');
    const wrongKind = await expectError(demo.call('tag_subscribers', { subscriber_ids: ['cmp_123'], add: ['x'] }), 'invalid_input');
    expect(wrongKind.details.field).toBe('subscriber_ids[0]');
    expect(wrongKind.message).toContain('subscriber id like sub_');
  });
});
