import { describe, expect, it } from 'vitest';
import type { ResourceTemplateDefinition } from '../../src/tools/define-resource.js';
import { ACME, openDemo, seededIds, type Demo } from './fixtures.js';
import { contextFor } from './harness.js';

function template(demo: Demo, uriTemplate: string): ResourceTemplateDefinition {
  const found = demo.mailroom.resources.find((r): r is ResourceTemplateDefinition => r.kind === 'resourceTemplate' && r.uriTemplate === uriTemplate);
  if (found === undefined) throw new Error(`no template ${uriTemplate}`);
  return found;
}

function prompt(demo: Demo, name: string) {
  const found = demo.mailroom.prompts.find((p) => p.name === name);
  if (found === undefined) throw new Error(`no prompt ${name}`);
  return found;
}

describe('Mailroom resources and prompts', () => {
  it('serves the getting-started guide as markdown, cacheable by anyone', async () => {
    const demo = await openDemo();
    const doc = demo.mailroom.resources.find((r) => r.kind === 'resource' && r.uri === 'mailroom://docs/getting-started');
    expect(doc?.kind).toBe('resource');
    if (doc?.kind !== 'resource') return;
    expect(doc.cache?.scope).toBe('public');
    const contents = await doc.read(contextFor(ACME));
    expect(contents).toMatchObject({ uri: 'mailroom://docs/getting-started', mimeType: 'text/markdown' });
    const text = (contents as { text: string }).text;
    expect(text).toContain('Only drafts can be updated');
    expect(Buffer.byteLength(text)).toBe(doc.size);
    // Every tool the guide mentions exists.
    const names = new Set(demo.mailroom.tools.map((t) => t.name));
    for (const [, name] of text.matchAll(/`([a-z]+_[a-z_]+)`/g)) if (/^(get|list|create|update|delete|schedule|unschedule|send|duplicate|preview|tag|add|unsubscribe)_/.test(name ?? '')) expect(names, name).toContain(name);
  });

  it('reads a campaign and a segment of the caller\'s organization as JSON, null when unknown', async () => {
    const demo = await openDemo();
    const ids = await seededIds(demo.db, ACME);
    const ctx = contextFor(ACME);
    const campaign = await template(demo, 'mailroom://campaigns/{id}').read(`mailroom://campaigns/${ids.draft}`, { id: ids.draft }, ctx);
    expect(campaign).toMatchObject({ uri: `mailroom://campaigns/${ids.draft}`, mimeType: 'application/json' });
    expect(JSON.parse((campaign as { text: string }).text)).toEqual(await demo.call('get_campaign', { campaign_id: ids.draft }));
    const segment = await template(demo, 'mailroom://segments/{id}').read(`mailroom://segments/${ids.segment}`, { id: ids.segment }, ctx);
    expect(JSON.parse((segment as { text: string }).text)).toEqual(await demo.call('get_segment', { segment_id: ids.segment }));
    expect(await template(demo, 'mailroom://campaigns/{id}').read('mailroom://campaigns/cmp_nope', { id: 'cmp_nope' }, ctx)).toBeNull();
    expect(await template(demo, 'mailroom://segments/{id}').read('mailroom://segments/seg_nope', { id: 'seg_nope' }, ctx)).toBeNull();
  });

  it('lists concrete campaign resources for resources/list', async () => {
    const demo = await openDemo();
    const listed = (await template(demo, 'mailroom://campaigns/{id}').list?.(contextFor(ACME))) ?? [];
    expect(listed).toHaveLength(8);
    expect(listed[0]?.uri).toMatch(/^mailroom:\/\/campaigns\/cmp_/);
    expect(listed.map((r) => r.title)).toContain('Holiday Gift Guide');
  });

  it('draft_campaign guides the agent through the tools without scheduling', async () => {
    const demo = await openDemo();
    const p = prompt(demo, 'draft_campaign');
    expect(p.arguments).toEqual([expect.objectContaining({ name: 'topic', required: true }), expect.objectContaining({ name: 'audience', required: false })]);
    const result = await p.handler({ topic: 'fall hiking boots', audience: 'VIP customers' }, contextFor(ACME));
    expect('messages' in result).toBe(true);
    if (!('messages' in result)) return;
    const text = result.messages.map((m) => (m.content.type === 'text' ? m.content.text : '')).join('\n');
    expect(text).toContain('fall hiking boots');
    expect(text).toContain('VIP customers');
    for (const tool of ['list_segments', 'list_sender_profiles', 'create_campaign', 'send_test_email']) expect(text).toContain(tool);
    expect(text).toContain('Do not call schedule_campaign');
    const noAudience = await p.handler({ topic: 'tents' }, contextFor(ACME));
    expect(JSON.stringify(noAudience)).toContain('best fits the topic');
  });

  it('weekly_report asks for the last 7 complete days and the week before', async () => {
    const demo = await openDemo();
    const result = await prompt(demo, 'weekly_report').handler({}, contextFor(ACME));
    const text = JSON.stringify(result);
    expect(text).toContain('from=2025-11-13 and to=2025-11-19');
    expect(text).toContain('from=2025-11-06 and to=2025-11-12');
    expect(text).toContain('data_as_of');
  });
});
