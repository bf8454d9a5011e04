import { z } from 'zod';
import { fail } from '../../../src/errors/gatehouse-error.js';
import { defineTool, type ToolDefinition } from '../../../src/tools/define-tool.js';
import { requireOrg, type MailroomDeps } from '../context.js';
import { dayStart, addDays } from '../dates.js';
import { campaignId, dayField } from '../fields.js';
import { campaignSummaryShape, findCampaignRow, metaShape, rate, toCampaignSummary } from '../records.js';
import { resolveWindow } from '../report-window.js';
import { assertStatus } from './campaign-rules.js';

type Db = MailroomDeps['db'];

const windowFields = {
  from: dayField('from').optional().describe('First UTC day of the window, YYYY-MM-DD. Defaults to 29 days before `to`.'),
  to: dayField('to').optional().describe('Last UTC day of the window, YYYY-MM-DD. Defaults to the latest day with data (yesterday).'),
};

const windowShape = z.object({ from: z.string(), to: z.string(), days: z.number().int() });

const rateShape = z.number().nullable();
const ratesShape = z
  .object({
    delivery_rate: rateShape.describe('deliveries / sends'),
    open_rate: rateShape.describe('unique opens / deliveries'),
    click_rate: rateShape.describe('unique clicks / deliveries'),
    click_to_open_rate: rateShape.describe('unique clicks / unique opens'),
    bounce_rate: rateShape.describe('bounces / sends'),
    unsubscribe_rate: rateShape.describe('unsubscribes / deliveries'),
  })
  .describe('Ratios from 0 to 1, rounded to 4 decimals; null when the denominator is 0.');

function rates(t: { sends: number; deliveries: number; opens: number; clicks: number; bounces: number; unsubscribes: number }) {
  return {
    delivery_rate: rate(t.deliveries, t.sends),
    open_rate: rate(t.opens, t.deliveries),
    click_rate: rate(t.clicks, t.deliveries),
    click_to_open_rate: rate(t.clicks, t.opens),
    bounce_rate: rate(t.bounces, t.sends),
    unsubscribe_rate: rate(t.unsubscribes, t.deliveries),
  };
}

const linkShape = z.object({ url: z.string(), clicks: z.number().int(), unique_clicks: z.number().int(), campaigns: z.number().int().describe('Sent campaigns containing the link.') });

async function topLinks(db: Db, orgId: string, filter: { campaignId?: string; from?: string; to?: string }, limit: number) {
  let query = db.selectFrom('mailroom_link_clicks as l').innerJoin('mailroom_campaigns as c', 'c.id', 'l.campaign_id').where('l.org_id', '=', orgId).where('c.org_id', '=', orgId);
  if (filter.campaignId !== undefined) query = query.where('l.campaign_id', '=', filter.campaignId);
  if (filter.from !== undefined) query = query.where('c.sent_at', '>=', dayStart(filter.from));
  if (filter.to !== undefined) query = query.where('c.sent_at', '<', dayStart(addDays(filter.to, 1)));
  const rows = await query
    .select((eb) => ['l.url', eb.fn.sum<number>('l.clicks').as('clicks'), eb.fn.sum<number>('l.unique_clicks').as('unique_clicks'), eb.fn.count<number>('l.campaign_id').as('campaigns')])
    .groupBy('l.url')
    .orderBy('clicks', 'desc')
    .orderBy('l.url')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ url: r.url, clicks: Number(r.clicks), unique_clicks: Number(r.unique_clicks), campaigns: Number(r.campaigns) }));
}

export function reportTools({ db }: MailroomDeps): ToolDefinition[] {
  const getCampaignReport = defineTool({
    name: 'get_campaign_report',
    scope: 'mcp:read',
    title: 'Campaign report',
    description: 'Performance of one sent campaign: recipients, deliveries, unique opens and clicks, bounces, unsubscribes, their rates, and the most clicked links.',
    input: z.object({ campaign_id: campaignId() }),
    output: z.object({
      campaign: campaignSummaryShape,
      stats: z.object({ recipients: z.number().int(), deliveries: z.number().int(), opens: z.number().int(), clicks: z.number().int(), bounces: z.number().int(), unsubscribes: z.number().int() }),
      rates: ratesShape,
      top_links: z.array(linkShape),
      meta: metaShape,
    }),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    handler: async (input, ctx) => {
      const orgId = requireOrg(ctx);
      const row = await findCampaignRow(db, orgId, input.campaign_id);
      assertStatus(row, ['sent'], 'reported on');
      const stats = await db.selectFrom('mailroom_campaign_stats').selectAll().where('org_id', '=', orgId).where('campaign_id', '=', row.id).executeTakeFirst();
      if (stats === undefined) throw fail('data_unavailable', 'Stats for this campaign are not available yet; they are refreshed daily', {});
      const { recipients, deliveries, opens, clicks, bounces, unsubscribes } = stats;
      return {
        campaign: toCampaignSummary(row),
        stats: { recipients, deliveries, opens, clicks, bounces, unsubscribes },
        rates: rates({ sends: recipients, deliveries, opens, clicks, bounces, unsubscribes }),
        top_links: await topLinks(db, orgId, { campaignId: row.id }, 5),
        meta: { data_as_of: stats.updated_at },
      };
    },
  });

  const getAccountOverview = defineTool({
    name: 'get_account_overview',
    scope: 'mcp:read',
    title: 'Account overview',
    description:
      'Account-wide email performance over a window of UTC days (campaigns and automations together): totals, rates, new subscribers and campaigns sent. ' +
      'Defaults to the last 30 days with data. Data ends yesterday; a window with no data fails with data_unavailable, which names the available range.',
    input: z.object(windowFields),
    output: z.object({
      window: windowShape,
      totals: z.object({
        sends: z.number().int(), deliveries: z.number().int(), opens: z.number().int(), clicks: z.number().int(),
        bounces: z.number().int(), unsubscribes: z.number().int(), new_subscribers: z.number().int(),
      }),
      rates: ratesShape,
      campaigns_sent: z.number().int(),
      meta: metaShape,
    }),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    handler: async (input, ctx) => {
      const orgId = requireOrg(ctx);
      const w = await resolveWindow(db, orgId, input);
      const sums = await db
        .selectFrom('mailroom_daily_stats')
        .select((eb) => (['sends', 'deliveries', 'opens', 'clicks', 'bounces', 'unsubscribes', 'new_subscribers'] as const).map((c) => eb.fn.sum<number>(c).as(c)))
        .where('org_id', '=', orgId)
        .where('day', '>=', w.from)
        .where('day', '<=', w.to)
        .executeTakeFirstOrThrow();
      const totals = {
        sends: Number(sums.sends ?? 0), deliveries: Number(sums.deliveries ?? 0), opens: Number(sums.opens ?? 0), clicks: Number(sums.clicks ?? 0),
        bounces: Number(sums.bounces ?? 0), unsubscribes: Number(sums.unsubscribes ?? 0), new_subscribers: Number(sums.new_subscribers ?? 0),
      };
      const sent = await db
        .selectFrom('mailroom_campaigns')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('org_id', '=', orgId)
        .where('status', '=', 'sent')
        .where('sent_at', '>=', dayStart(w.from))
        .where('sent_at', '<', dayStart(addDays(w.to, 1)))
        .executeTakeFirstOrThrow();
      return { window: { from: w.from, to: w.to, days: w.days }, totals, rates: rates(totals), campaigns_sent: Number(sent.n), meta: { data_as_of: w.dataAsOf } };
    },
  });

  const getSubscriberGrowth = defineTool({
    name: 'get_subscriber_growth',
    scope: 'mcp:read',
    title: 'Subscriber growth',
    description: 'Daily new subscribers and unsubscribes over a window of UTC days (default: the last 30 days with data), with totals. Fails with data_unavailable outside the recorded range.',
    input: z.object(windowFields),
    output: z.object({
      window: windowShape,
      series: z.array(z.object({ date: z.string(), new_subscribers: z.number().int(), unsubscribes: z.number().int(), net: z.number().int() })),
      totals: z.object({ new_subscribers: z.number().int(), unsubscribes: z.number().int(), net: z.number().int() }),
      meta: metaShape,
    }),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    handler: async (input, ctx) => {
      const orgId = requireOrg(ctx);
      const w = await resolveWindow(db, orgId, input);
      const rows = await db
        .selectFrom('mailroom_daily_stats')
        .select(['day', 'new_subscribers', 'unsubscribes'])
        .where('org_id', '=', orgId)
        .where('day', '>=', w.from)
        .where('day', '<=', w.to)
        .orderBy('day')
        .execute();
      const series = rows.map((r) => ({ date: r.day, new_subscribers: r.new_subscribers, unsubscribes: r.unsubscribes, net: r.new_subscribers - r.unsubscribes }));
      const added = series.reduce((n, d) => n + d.new_subscribers, 0);
      const removed = series.reduce((n, d) => n + d.unsubscribes, 0);
      return { window: { from: w.from, to: w.to, days: w.days }, series, totals: { new_subscribers: added, unsubscribes: removed, net: added - removed }, meta: { data_as_of: w.dataAsOf } };
    },
  });

  const listTopLinks = defineTool({
    name: 'list_top_links',
    scope: 'mcp:read',
    title: 'Top clicked links',
    description: 'The most clicked links in sent campaigns, by total clicks: for one campaign (campaign_id), or across campaigns sent in an optional window of UTC days.',
    input: z.object({
      campaign_id: campaignId().optional().describe('Only links of this sent campaign.'),
      ...windowFields,
      limit: z.number().int().min(1, { error: 'limit must be from 1 to 50' }).max(50, { error: 'limit must be from 1 to 50' }).default(10).describe('How many links (1–50, default 10).'),
    }),
    output: z.object({ items: z.array(linkShape), meta: metaShape }),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    handler: async (input, ctx) => {
      const orgId = requireOrg(ctx);
      if (input.from !== undefined && input.to !== undefined && input.from > input.to) throw fail('invalid_input', `from (${input.from}) must be on or before to (${input.to})`, { field: 'from' });
      let asOf = db.selectFrom('mailroom_campaign_stats').select((eb) => eb.fn.max('updated_at').as('at')).where('org_id', '=', orgId);
      if (input.campaign_id !== undefined) {
        assertStatus(await findCampaignRow(db, orgId, input.campaign_id), ['sent'], 'reported on');
        asOf = asOf.where('campaign_id', '=', input.campaign_id);
      }
      const at = (await asOf.executeTakeFirst())?.at ?? null;
      if (at === null) throw fail('data_unavailable', 'No sent campaign has click data yet', {});
      const filter = { ...(input.campaign_id === undefined ? {} : { campaignId: input.campaign_id }), ...(input.from === undefined ? {} : { from: input.from }), ...(input.to === undefined ? {} : { to: input.to }) };
      return { items: await topLinks(db, orgId, filter, input.limit), meta: { data_as_of: at } };
    },
  });

  return [getCampaignReport, getAccountOverview, getSubscriberGrowth, listTopLinks];
}
