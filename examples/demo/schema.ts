/**
 * Row types of Mailroom's tables, for Kysely. Every table carries `org_id`, and
 * every query filters on it: that column is the tenant boundary.
 *
 * Portable encodings, so the same queries run on SQLite and PostgreSQL:
 * timestamps are ISO-8601 UTC strings (`toISOString()`, which sort and compare
 * as text), calendar days are `YYYY-MM-DD`, booleans are 0/1 integers and JSON
 * is text.
 */

export const SUBSCRIBER_STATUSES = ['subscribed', 'unsubscribed', 'bounced'] as const;
export type SubscriberStatus = (typeof SUBSCRIBER_STATUSES)[number];

export const CAMPAIGN_STATUSES = ['draft', 'scheduled', 'sent'] as const;
export type CampaignStatus = (typeof CAMPAIGN_STATUSES)[number];

/** How a subscriber joined the list. `api` is what agents use. */
export const SUBSCRIBER_SOURCES = ['signup_form', 'checkout', 'import', 'event', 'api'] as const;
export type SubscriberSource = (typeof SUBSCRIBER_SOURCES)[number];

export interface OrganizationRow {
  org_id: string;
  name: string;
  plan: string;
  timezone: string;
  website: string | null;
  created_at: string;
}

export interface SubscriberRow {
  id: string;
  org_id: string;
  /** PII. Stored lower-cased so uniqueness and search are case-insensitive on every database. */
  email: string;
  first_name: string | null;
  last_name: string | null;
  status: SubscriberStatus;
  source: SubscriberSource;
  created_at: string;
  updated_at: string;
  unsubscribed_at: string | null;
}

/** Tags live in their own table so filters stay plain SQL (no JSON functions). */
export interface SubscriberTagRow {
  org_id: string;
  subscriber_id: string;
  tag: string;
}

export interface SegmentRow {
  id: string;
  org_id: string;
  name: string;
  description: string | null;
  /** A `SegmentRule` as JSON text. */
  rule: string;
  created_at: string;
  updated_at: string;
}

export interface SenderProfileRow {
  id: string;
  org_id: string;
  name: string;
  from_name: string;
  from_email: string;
  reply_to: string | null;
  /** 0/1: the from-address domain passed verification. */
  verified: number;
  created_at: string;
}

export interface CampaignRow {
  id: string;
  org_id: string;
  name: string;
  subject: string | null;
  preheader: string | null;
  body_html: string | null;
  body_text: string | null;
  status: CampaignStatus;
  segment_id: string | null;
  sender_profile_id: string | null;
  scheduled_at: string | null;
  sent_at: string | null;
  created_at: string;
  updated_at: string;
}

/** Totals of one sent campaign, refreshed by the (simulated) analytics pipeline. */
export interface CampaignStatsRow {
  campaign_id: string;
  org_id: string;
  recipients: number;
  deliveries: number;
  /** Unique opens. */
  opens: number;
  /** Unique clicks. */
  clicks: number;
  bounces: number;
  unsubscribes: number;
  /** When the pipeline last refreshed these numbers: the report's `data_as_of`. */
  updated_at: string;
}

/** Account-wide email activity per UTC day (campaigns and automations together). */
export interface DailyStatsRow {
  org_id: string;
  day: string;
  sends: number;
  deliveries: number;
  opens: number;
  clicks: number;
  bounces: number;
  unsubscribes: number;
  new_subscribers: number;
}

export interface LinkClickRow {
  org_id: string;
  campaign_id: string;
  url: string;
  clicks: number;
  unique_clicks: number;
}

// A type alias, not an interface: Kysely's `withTables` needs an index-signature-compatible shape.
export type MailroomSchema = {
  mailroom_organizations: OrganizationRow;
  mailroom_subscribers: SubscriberRow;
  mailroom_subscriber_tags: SubscriberTagRow;
  mailroom_segments: SegmentRow;
  mailroom_sender_profiles: SenderProfileRow;
  mailroom_campaigns: CampaignRow;
  mailroom_campaign_stats: CampaignStatsRow;
  mailroom_daily_stats: DailyStatsRow;
  mailroom_link_clicks: LinkClickRow;
};
