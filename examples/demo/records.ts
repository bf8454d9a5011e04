import type { Kysely } from 'kysely';
import { z } from 'zod';
import { notFound } from './context.js';
import {
  CAMPAIGN_STATUSES,
  SUBSCRIBER_SOURCES,
  SUBSCRIBER_STATUSES,
  type CampaignRow,
  type MailroomSchema,
  type SegmentRow,
  type SenderProfileRow,
  type SubscriberRow,
} from './schema.js';
import { describeRule, parseRule, segmentRuleSchema } from './segment-rule.js';

/**
 * The public shape of each record (the tools' output schemas) and the loaders
 * that fetch one record inside an organization. Loaders are the only way tools
 * read a record by id, so the tenant filter cannot be forgotten.
 */

type Db = Kysely<MailroomSchema>;

// ---- subscribers ----------------------------------------------------------

export const subscriberShape = z.object({
  id: z.string(),
  email: z.string(),
  first_name: z.string().nullable(),
  last_name: z.string().nullable(),
  status: z.enum(SUBSCRIBER_STATUSES),
  tags: z.array(z.string()),
  source: z.enum(SUBSCRIBER_SOURCES),
  created_at: z.string(),
  updated_at: z.string(),
  unsubscribed_at: z.string().nullable(),
});
export type Subscriber = z.infer<typeof subscriberShape>;

/** Tags of several subscribers in one query (no N+1 on list pages). */
export async function loadTags(db: Db, orgId: string, ids: readonly string[]): Promise<Map<string, string[]>> {
  const tags = new Map<string, string[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return tags;
  const rows = await db
    .selectFrom('mailroom_subscriber_tags')
    .select(['subscriber_id', 'tag'])
    .where('org_id', '=', orgId)
    .where('subscriber_id', 'in', ids)
    .orderBy('tag')
    .execute();
  for (const row of rows) tags.get(row.subscriber_id)?.push(row.tag);
  return tags;
}

export function toSubscriber(row: SubscriberRow, tags: readonly string[]): Subscriber {
  const { org_id: _org, ...rest } = row;
  return { ...rest, tags: [...tags] };
}

export async function findSubscriberRow(db: Db, orgId: string, id: string): Promise<SubscriberRow> {
  const row = await db.selectFrom('mailroom_subscribers').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  if (row === undefined) throw notFound('subscriber', id);
  return row;
}

export async function loadSubscriber(db: Db, orgId: string, id: string): Promise<Subscriber> {
  const row = await findSubscriberRow(db, orgId, id);
  const tags = await loadTags(db, orgId, [id]);
  return toSubscriber(row, tags.get(id) ?? []);
}

// ---- segments -------------------------------------------------------------

export const segmentShape = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  rule: segmentRuleSchema,
  rule_summary: z.string().describe('The rule in plain English.'),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Segment = z.input<typeof segmentShape>;

export function toSegment(row: SegmentRow): Segment {
  const rule = parseRule(row.rule);
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    rule,
    rule_summary: describeRule(rule),
    created_at: row.created_at,
    updated_at: row.updated_at,
  };
}

export async function findSegmentRow(db: Db, orgId: string, id: string): Promise<SegmentRow> {
  const row = await db.selectFrom('mailroom_segments').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  if (row === undefined) throw notFound('segment', id);
  return row;
}

// ---- sender profiles ------------------------------------------------------

export const senderProfileShape = z.object({
  id: z.string(),
  name: z.string(),
  from_name: z.string(),
  from_email: z.string(),
  reply_to: z.string().nullable(),
  verified: z.boolean().describe('Only verified profiles can send; a profile is verified when its domain is.'),
  created_at: z.string(),
});
export type SenderProfile = z.infer<typeof senderProfileShape>;

export function toSenderProfile(row: SenderProfileRow): SenderProfile {
  const { org_id: _org, verified, ...rest } = row;
  return { ...rest, verified: verified === 1 };
}

export async function findSenderProfileRow(db: Db, orgId: string, id: string): Promise<SenderProfileRow> {
  const row = await db.selectFrom('mailroom_sender_profiles').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  if (row === undefined) throw notFound('sender_profile', id);
  return row;
}

// ---- campaigns ------------------------------------------------------------

/** What lists show: everything but the bodies, which can be large. */
export const campaignSummaryShape = z.object({
  id: z.string(),
  name: z.string(),
  subject: z.string().nullable(),
  status: z.enum(CAMPAIGN_STATUSES),
  segment_id: z.string().nullable(),
  sender_profile_id: z.string().nullable(),
  scheduled_at: z.string().nullable(),
  sent_at: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type CampaignSummary = z.infer<typeof campaignSummaryShape>;

export const campaignShape = campaignSummaryShape.extend({
  preheader: z.string().nullable(),
  body_html: z.string().nullable(),
  body_text: z.string().nullable(),
});
export type Campaign = z.infer<typeof campaignShape>;

export function toCampaignSummary(row: CampaignRow): CampaignSummary {
  const { id, name, subject, status, segment_id, sender_profile_id, scheduled_at, sent_at, created_at, updated_at } = row;
  return { id, name, subject, status, segment_id, sender_profile_id, scheduled_at, sent_at, created_at, updated_at };
}

export function toCampaign(row: CampaignRow): Campaign {
  return { ...toCampaignSummary(row), preheader: row.preheader, body_html: row.body_html, body_text: row.body_text };
}

export async function findCampaignRow(db: Db, orgId: string, id: string): Promise<CampaignRow> {
  const row = await db.selectFrom('mailroom_campaigns').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
  if (row === undefined) throw notFound('campaign', id);
  return row;
}

// ---- lists and metrics ----------------------------------------------------

/** Every list tool answers `{ items, next_cursor, total }`. */
export function pageShape<T extends z.ZodType>(item: T) {
  return z.object({
    items: z.array(item),
    next_cursor: z.string().nullable().describe('Pass as `cursor` to get the next page; null on the last page.'),
    total: z.number().int().describe('How many items match the filters, across all pages.'),
  });
}

/** Carried by every result that reports metrics (B-POL-09). */
export const metaShape = z.object({
  data_as_of: z.string().describe('ISO timestamp up to which the metrics are complete.'),
});

/** A ratio rounded to 4 decimals, or null when the denominator is zero (no activity is not a 0% rate). */
export function rate(numerator: number, denominator: number): number | null {
  return denominator === 0 ? null : Math.round((numerator / denominator) * 10_000) / 10_000;
}
