import { addDays, dayOf, dayStart } from './dates.js';
import { Rng } from './prng.js';
import type {
  CampaignRow,
  CampaignStatsRow,
  DailyStatsRow,
  LinkClickRow,
  OrganizationRow,
  SegmentRow,
  SenderProfileRow,
  SubscriberRow,
  SubscriberTagRow,
} from './schema.js';
import { FIRST_NAMES, LAST_NAMES, type CampaignSeed, type OrgSeed } from './seed-data.js';
import { ruleMatches, type SegmentRule } from './segment-rule.js';

/** Every row of one organization, built in memory: a pure function of the seed and the clock. */
export interface OrgRows {
  readonly organization: OrganizationRow;
  readonly subscribers: SubscriberRow[];
  readonly tags: SubscriberTagRow[];
  readonly segments: SegmentRow[];
  readonly senderProfiles: SenderProfileRow[];
  readonly campaigns: CampaignRow[];
  readonly campaignStats: CampaignStatsRow[];
  readonly dailyStats: DailyStatsRow[];
  readonly linkClicks: LinkClickRow[];
}

/** Days of account history; the series ends yesterday, the last complete day. */
export const HISTORY_DAYS = 120;

const HOUR_MS = 3_600_000;

interface Draft extends SubscriberRow {
  tagList: string[];
  /** When the subscriber stopped receiving email (unsubscribed or bounced). */
  leftAt: string | null;
  /** The campaign that caused it, if any. */
  leftVia: string | null;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function makeSubscribers(seed: OrgSeed, rng: Rng, today: string): Draft[] {
  const used = new Set<string>();
  const result: Draft[] = [];
  while (result.length < seed.subscribers) {
    const first = rng.pick(FIRST_NAMES);
    const last = rng.pick(LAST_NAMES);
    const local = [`${first}.${last}`, `${first}${last}`, `${first.charAt(0)}${last}`, `${first}.${last}${rng.int(2, 99)}`, `${first}_${last.charAt(0)}`][rng.int(0, 4)] ?? first;
    const email = `${local}@${rng.pick(seed.emailDomains)}`.toLowerCase();
    if (used.has(email)) continue;
    used.add(email);
    // About a third joined inside the reporting window, so growth charts have shape.
    const daysAgo = rng.chance(0.3) ? rng.int(1, HISTORY_DAYS) : rng.int(HISTORY_DAYS + 1, seed.ageDays - 10);
    const createdAt = iso(Date.parse(dayStart(addDays(today, -daysAgo))) + rng.int(0, 86_399) * 1000);
    // Imported contacts often arrive without names.
    const source = rng.pick(seed.sources);
    const named = source !== 'import' || rng.chance(0.5);
    result.push({
      id: rng.id('sub'),
      org_id: seed.orgId,
      email,
      first_name: named ? first : null,
      last_name: named ? last : null,
      status: 'subscribed',
      source,
      created_at: createdAt,
      updated_at: createdAt,
      unsubscribed_at: null,
      tagList: seed.tags.filter(([, p]) => rng.chance(p)).map(([tag]) => tag).sort(),
      leftAt: null,
      leftVia: null,
    });
  }
  return result;
}

function campaignBody(c: CampaignSeed): { html: string | null; text: string | null } {
  if (c.headline === null || c.paragraph === null) return { html: null, text: null };
  const link = c.links[0] ?? '#';
  return {
    html: `<h1>${c.headline}</h1>\n<p>Hi {{first_name | default: "there"}},</p>\n<p>${c.paragraph}</p>\n<p><a href="${link}">${c.cta}</a></p>`,
    text: `${c.headline}\n\nHi {{first_name | default: "there"}},\n\n${c.paragraph}\n\n${c.cta}: ${link}`,
  };
}

/** Builds one organization's rows. Same seed and same `now` give the same rows, byte for byte. */
export function generateOrg(seed: OrgSeed, now: Date): OrgRows {
  const rng = new Rng(seed.prngSeed);
  const today = dayOf(now);
  const nowMs = now.getTime();
  const yesterday = addDays(today, -1);
  const organization: OrganizationRow = {
    org_id: seed.orgId,
    name: seed.name,
    plan: seed.plan,
    timezone: seed.timezone,
    website: seed.website,
    created_at: dayStart(addDays(today, -seed.ageDays)),
  };

  const subscribers = makeSubscribers(seed, rng, today);

  const rules = new Map<string, { id: string; rule: SegmentRule }>();
  const segments: SegmentRow[] = seed.segments.map((s) => {
    const id = rng.id('seg');
    const rule = s.rule(today);
    rules.set(s.key, { id, rule });
    const createdAt = dayStart(addDays(today, -rng.int(150, seed.ageDays - 20)));
    return { id, org_id: seed.orgId, name: s.name, description: s.description, rule: JSON.stringify(rule), created_at: createdAt, updated_at: createdAt };
  });

  // A day apart, so "oldest first" lists them in the order the seed declares them.
  const senderProfiles: SenderProfileRow[] = seed.senderProfiles.map((p, i) => ({
    id: rng.id('snd'),
    org_id: seed.orgId,
    ...p,
    verified: 1,
    created_at: dayStart(addDays(today, -seed.ageDays + 1 + i)),
  }));

  const campaigns: CampaignRow[] = seed.campaigns.map((c) => {
    const body = campaignBody(c);
    const segment = c.segment === null ? undefined : rules.get(c.segment);
    const profile = c.profile === null ? undefined : senderProfiles[c.profile];
    let sentAt: string | null = null;
    let scheduledAt: string | null = null;
    let createdAt: string;
    let updatedAt: string;
    if (c.state === 'sent') {
      sentAt = iso(Date.parse(dayStart(addDays(today, -c.days))) + c.hour * HOUR_MS + rng.int(0, 9) * 60_000);
      scheduledAt = sentAt;
      createdAt = iso(Date.parse(sentAt) - rng.int(3, 10) * 24 * HOUR_MS);
      updatedAt = sentAt;
    } else if (c.state === 'scheduled') {
      scheduledAt = iso(Date.parse(dayStart(addDays(today, c.days))) + c.hour * HOUR_MS);
      createdAt = iso(nowMs - rng.int(2, 6) * 24 * HOUR_MS);
      updatedAt = iso(nowMs - rng.int(1, 20) * HOUR_MS);
    } else {
      createdAt = iso(nowMs - c.days * 24 * HOUR_MS - rng.int(1, 8) * HOUR_MS);
      updatedAt = iso(Date.parse(createdAt) + rng.int(1, 6) * HOUR_MS);
    }
    return {
      id: rng.id('cmp'),
      org_id: seed.orgId,
      name: c.name,
      subject: c.subject,
      preheader: c.preheader,
      body_html: body.html,
      body_text: body.text,
      status: c.state,
      segment_id: segment?.id ?? null,
      sender_profile_id: profile?.id ?? null,
      scheduled_at: scheduledAt,
      sent_at: sentAt,
      created_at: createdAt,
      updated_at: updatedAt,
    };
  });

  // Who received a sent campaign: in its segment when it went out, and still subscribed then.
  const sent = campaigns.flatMap((row, i) => {
    const spec = seed.campaigns[i];
    const rule = spec === undefined || spec.segment === null ? undefined : rules.get(spec.segment)?.rule;
    return row.sent_at !== null && rule !== undefined ? [{ row, sentAt: row.sent_at, links: spec?.links ?? [], rule }] : [];
  });
  const receives = (s: Draft, c: (typeof sent)[number]): boolean =>
    s.created_at < c.sentAt && ruleMatches(c.rule, { ...s, tags: s.tagList }) && (s.leftAt === null || s.leftAt >= c.sentAt);

  // Most unsubscribes and bounces happen right after a campaign; attribute them to it.
  const leavers = rng.sample(subscribers.filter((s) => s.created_at < dayStart(addDays(today, -2))), seed.unsubscribed + seed.bounced);
  leavers.forEach((s, i) => {
    const status = i < seed.unsubscribed ? 'unsubscribed' : 'bounced';
    const candidates = sent.filter((c) => receives(s, c));
    if (candidates.length > 0 && rng.chance(0.85)) {
      const c = rng.pick(candidates);
      s.leftAt = iso(Math.min(Date.parse(c.sentAt) + (status === 'bounced' ? rng.int(1, 30) * 60_000 : rng.int(1, 36) * HOUR_MS), nowMs - HOUR_MS));
      s.leftVia = c.row.id;
    } else {
      const from = Date.parse(s.created_at) + 24 * HOUR_MS;
      s.leftAt = iso(from + Math.floor(rng.next() * Math.max(0, Date.parse(dayStart(today)) - from)));
    }
    s.status = status;
    s.updated_at = s.leftAt;
    s.unsubscribed_at = status === 'unsubscribed' ? s.leftAt : null;
  });

  const statsAsOf = dayStart(today);
  const campaignStats: CampaignStatsRow[] = [];
  const linkClicks: LinkClickRow[] = [];
  for (const c of sent) {
    const recipients = subscribers.filter((s) => receives(s, c)).length;
    const bounces = subscribers.filter((s) => s.leftVia === c.row.id && s.status === 'bounced').length;
    const unsubscribes = subscribers.filter((s) => s.leftVia === c.row.id && s.status === 'unsubscribed').length;
    const deliveries = recipients - bounces;
    const opens = Math.round(deliveries * rng.between(0.3, 0.55));
    const clicks = Math.round(opens * rng.between(0.15, 0.35));
    campaignStats.push({ campaign_id: c.row.id, org_id: seed.orgId, recipients, deliveries, opens, clicks, bounces, unsubscribes, updated_at: statsAsOf });
    const shares = [0.65, 0.3, 0.2, 0.1];
    c.links.forEach((url, i) => {
      const unique = Math.round(clicks * (shares[i] ?? 0.05) * rng.between(0.8, 1.2));
      if (unique > 0) linkClicks.push({ org_id: seed.orgId, campaign_id: c.row.id, url, clicks: unique + rng.int(0, Math.ceil(unique * 0.4)), unique_clicks: unique });
    });
  }

  // Daily account activity: automations every day, plus each campaign on its send day and the day after.
  const daily = new Map<string, DailyStatsRow>();
  for (let day = addDays(today, -HISTORY_DAYS); day <= yesterday; day = addDays(day, 1)) {
    const joined = subscribers.filter((s) => dayOf(new Date(s.created_at)) === day).length;
    const sends = rng.int(seed.automationPerDay[0], seed.automationPerDay[1]) + joined;
    const bounces = sends > 0 && rng.chance(0.05) ? 1 : 0;
    const deliveries = sends - bounces;
    const opens = Math.round(deliveries * rng.between(0.35, 0.6));
    const unsubscribes = subscribers.filter((s) => s.status === 'unsubscribed' && s.leftAt !== null && dayOf(new Date(s.leftAt)) === day).length;
    daily.set(day, { org_id: seed.orgId, day, sends, deliveries, opens, clicks: Math.round(opens * rng.between(0.05, 0.2)), bounces, unsubscribes, new_subscribers: joined });
  }
  for (const stats of campaignStats) {
    const day0 = dayOf(new Date(campaigns.find((c) => c.id === stats.campaign_id)?.sent_at ?? 0));
    const first = daily.get(day0);
    if (first === undefined) continue;
    const next = daily.get(addDays(day0, 1));
    const opens0 = next === undefined ? stats.opens : Math.round(stats.opens * 0.7);
    const clicks0 = next === undefined ? stats.clicks : Math.round(stats.clicks * 0.7);
    first.sends += stats.recipients;
    first.deliveries += stats.deliveries;
    first.bounces += stats.bounces;
    first.opens += opens0;
    first.clicks += clicks0;
    if (next !== undefined) {
      next.opens += stats.opens - opens0;
      next.clicks += stats.clicks - clicks0;
    }
  }

  return {
    organization,
    subscribers: subscribers.map(({ tagList: _t, leftAt: _l, leftVia: _v, ...row }) => row),
    tags: subscribers.flatMap((s) => s.tagList.map((tag) => ({ org_id: seed.orgId, subscriber_id: s.id, tag }))),
    segments,
    senderProfiles,
    campaigns,
    campaignStats,
    dailyStats: [...daily.values()],
    linkClicks,
  };
}
