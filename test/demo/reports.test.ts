import { describe, expect, it } from 'vitest';
import { ACME, expectError, GLOBEX, openDemo, seededIds } from './fixtures.js';

const DATA_AS_OF = '2025-11-20T00:00:00.000Z'; // end of yesterday relative to the pinned clock
const YESTERDAY = '2025-11-19';
const FIRST_DAY = '2025-07-23'; // 120 days before the pinned day

describe('Mailroom report tools', () => {
  it('B-POL-09: get_campaign_report returns counts, consistent rates and meta.data_as_of', async () => {
    const demo = await openDemo();
    const ids = await seededIds(demo.db, ACME);
    const report = await demo.call('get_campaign_report', { campaign_id: ids.sent });
    expect(report.meta).toEqual({ data_as_of: DATA_AS_OF });
    const { stats, rates } = report;
    expect(stats.deliveries).toBe(stats.recipients - stats.bounces);
    expect(stats.opens).toBeLessThanOrEqual(stats.deliveries);
    expect(stats.clicks).toBeLessThanOrEqual(stats.opens);
    expect(rates.open_rate).toBe(Math.round((stats.opens / stats.deliveries) * 10_000) / 10_000);
    expect(rates.delivery_rate).toBe(Math.round((stats.deliveries / stats.recipients) * 10_000) / 10_000);
    expect(report.campaign).toMatchObject({ id: ids.sent, status: 'sent' });
    const clicks = report.top_links.map((l: { clicks: number }) => l.clicks);
    expect(clicks).toEqual([...clicks].sort((a, b) => b - a));
  });

  it('B-ERR-04: a report for a campaign that was not sent fails with "Only sent campaigns can be reported on"', async () => {
    const demo = await openDemo();
    const ids = await seededIds(demo.db, ACME);
    for (const id of [ids.draft, ids.scheduled]) {
      const error = await expectError(demo.call('get_campaign_report', { campaign_id: id }), 'invalid_state');
      expect(error.message).toBe('Only sent campaigns can be reported on');
      expect(error.details.allowed_status).toEqual(['sent']);
    }
  });

  it('B-POL-09: get_account_overview defaults to the last 30 days ending yesterday, with meta.data_as_of', async () => {
    const demo = await openDemo();
    const overview = await demo.call('get_account_overview');
    expect(overview.window).toEqual({ from: '2025-10-21', to: YESTERDAY, days: 30 });
    expect(overview.meta).toEqual({ data_as_of: DATA_AS_OF });
    const t = overview.totals;
    expect(t.sends).toBeGreaterThan(0);
    expect(t.deliveries).toBe(t.sends - t.bounces);
    expect(overview.campaigns_sent).toBe(1); // Summer Clearance, 12 days ago
    // The same window summed from the growth series agrees.
    const growth = await demo.call('get_subscriber_growth', { from: '2025-10-21', to: YESTERDAY });
    expect(growth.totals.new_subscribers).toBe(t.new_subscribers);
    expect(growth.totals.unsubscribes).toBe(t.unsubscribes);
  });

  it('B-POL-09: get_account_overview answers a window with no data with data_unavailable and the available range', async () => {
    const demo = await openDemo();
    for (const window of [
      { from: '2024-01-01', to: '2024-01-31' },
      { from: '2025-11-20', to: '2025-11-30' },
    ]) {
      const error = await expectError(demo.call('get_account_overview', window), 'data_unavailable');
      expect(error.details).toEqual({ available_from: FIRST_DAY, available_to: YESTERDAY });
      expect(error.message).toContain(`${FIRST_DAY} to ${YESTERDAY}`);
    }
    // A window that overlaps the data is answered for the days that exist.
    const partial = await demo.call('get_account_overview', { from: '2025-11-10', to: '2025-11-30' });
    expect(partial.meta.data_as_of).toBe(DATA_AS_OF);
  });

  it('B-POL-09: get_account_overview names the bad window field', async () => {
    const demo = await openDemo();
    const reversed = await expectError(demo.call('get_account_overview', { from: '2025-11-10', to: '2025-11-01' }), 'invalid_input');
    expect(reversed.details.field).toBe('from');
    const format = await expectError(demo.call('get_account_overview', { from: '11/01/2025' }), 'invalid_input');
    expect(format.details.field).toBe('from');
    expect(format.message).toContain('from must be a date in YYYY-MM-DD format');
    const long = await expectError(demo.call('get_account_overview', { from: '2024-01-01', to: '2025-11-19' }), 'invalid_input');
    expect(long.details.field).toBe('to');
  });

  it('B-POL-09: an organization with no recorded activity gets data_unavailable, not zeros', async () => {
    const demo = await openDemo();
    const error = await expectError(demo.call('get_account_overview', {}, 'org_initech'), 'data_unavailable');
    expect(error.details).toEqual({ available_from: null, available_to: null });
    await expectError(demo.call('get_subscriber_growth', {}, 'org_initech'), 'data_unavailable');
    await expectError(demo.call('list_top_links', {}, 'org_initech'), 'data_unavailable');
  });

  it('get_subscriber_growth returns one point per day of the window', async () => {
    const demo = await openDemo();
    const growth = await demo.call('get_subscriber_growth', { from: '2025-11-01', to: YESTERDAY });
    expect(growth.series).toHaveLength(19);
    expect(growth.series[0].date).toBe('2025-11-01');
    expect(growth.series.at(-1).date).toBe(YESTERDAY);
    for (const point of growth.series) expect(point.net).toBe(point.new_subscribers - point.unsubscribes);
    expect(growth.meta.data_as_of).toBe(DATA_AS_OF);
    // With only `from`, the window runs 30 days from it.
    expect((await demo.call('get_subscriber_growth', { from: '2025-08-01' })).window).toEqual({ from: '2025-08-01', to: '2025-08-30', days: 30 });
  });

  it('list_top_links ranks links across campaigns or within one, with meta.data_as_of', async () => {
    const demo = await openDemo();
    const ids = await seededIds(demo.db, ACME);
    const all = await demo.call('list_top_links', { limit: 50 });
    expect(all.items.length).toBeGreaterThan(3);
    expect(all.meta.data_as_of).toBe(DATA_AS_OF);
    const clicks = all.items.map((l: { clicks: number }) => l.clicks);
    expect(clicks).toEqual([...clicks].sort((a, b) => b - a));
    for (const link of all.items) expect(link.url).toMatch(/^https:\/\/acme-outfitters\.example\.com\//);

    const one = await demo.call('list_top_links', { campaign_id: ids.sent });
    expect(one.items.every((l: { campaigns: number }) => l.campaigns === 1)).toBe(true);
    const report = await demo.call('get_campaign_report', { campaign_id: ids.sent });
    expect(one.items.slice(0, 5)).toEqual(report.top_links);

    const recent = await demo.call('list_top_links', { from: '2025-11-01', to: YESTERDAY });
    expect(recent.items.every((l: { url: string }) => l.url !== 'https://acme-outfitters.example.com/sale/spring')).toBe(true);
    await expectError(demo.call('list_top_links', { campaign_id: ids.draft }), 'invalid_state');
  });

  it('B-POL-09: every tool that reports metrics carries meta.data_as_of', async () => {
    const demo = await openDemo();
    const ids = await seededIds(demo.db, GLOBEX);
    const results = [
      await demo.call('get_campaign_report', { campaign_id: ids.sent }, GLOBEX),
      await demo.call('get_account_overview', {}, GLOBEX),
      await demo.call('get_subscriber_growth', {}, GLOBEX),
      await demo.call('list_top_links', {}, GLOBEX),
      await demo.call('get_organization', {}, GLOBEX),
    ];
    for (const result of results) expect(result.meta.data_as_of).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  });
});
