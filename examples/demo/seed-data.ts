import type { SubscriberSource } from './schema.js';
import type { SegmentRule } from './segment-rule.js';
import { addDays } from './dates.js';

/**
 * The two demo organizations, described as data; `seed.ts` turns this into
 * rows. Acme is the busy retailer most demos use; Globex exists so tenant
 * isolation has a second tenant with overlapping shapes (and one sender profile,
 * so the "profile chosen automatically" path is exercised too).
 */

export interface CampaignSeed {
  readonly name: string;
  readonly subject: string | null;
  readonly preheader: string | null;
  readonly headline: string | null;
  readonly paragraph: string | null;
  readonly cta: string;
  /** Key of a segment of the same organization, or null for an unfinished draft. */
  readonly segment: string | null;
  /** Index into the organization's sender profiles, or null. */
  readonly profile: number | null;
  readonly state: 'sent' | 'scheduled' | 'draft';
  /** Sent: days ago. Scheduled: days ahead. Draft: days since it was started. */
  readonly days: number;
  readonly hour: number;
  readonly links: readonly string[];
}

export interface OrgSeed {
  readonly orgId: string;
  readonly name: string;
  readonly plan: string;
  readonly timezone: string;
  readonly website: string;
  readonly ageDays: number;
  readonly prngSeed: number;
  readonly subscribers: number;
  readonly unsubscribed: number;
  readonly bounced: number;
  readonly emailDomains: readonly string[];
  readonly tags: readonly (readonly [tag: string, probability: number])[];
  readonly sources: readonly SubscriberSource[];
  /** Automated emails (welcome series, receipts) sent on a typical day. */
  readonly automationPerDay: readonly [min: number, max: number];
  readonly senderProfiles: readonly { name: string; from_name: string; from_email: string; reply_to: string | null }[];
  readonly segments: readonly { key: string; name: string; description: string; rule: (today: string) => SegmentRule }[];
  readonly campaigns: readonly CampaignSeed[];
}

export const FIRST_NAMES = [
  'Olivia', 'Liam', 'Emma', 'Noah', 'Ava', 'Elijah', 'Sophia', 'James', 'Isabella', 'Lucas', 'Mia', 'Mateo',
  'Amelia', 'Benjamin', 'Harper', 'Henry', 'Evelyn', 'Theodore', 'Abigail', 'Jack', 'Emily', 'Leo', 'Ella',
  'Samuel', 'Aisha', 'Wei', 'Priya', 'Diego', 'Hannah', 'Kenji', 'Fatima', 'Omar', 'Grace', 'Nora', 'Daniel',
  'Zoe', 'Caleb', 'Lily', 'Ethan', 'Chloe', 'Mason', 'Layla', 'Logan', 'Riley', 'Aria', 'Owen', 'Sofia',
  'Gabriel', 'Maya', 'Julian', 'Ines', 'Tomasz', 'Freya', 'Arjun', 'Camila', 'Nikolai', 'Yuki', 'Rosa',
] as const;

export const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez',
  'Hernandez', 'Lopez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee',
  'Thompson', 'White', 'Harris', 'Clark', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'King', 'Wright',
  'Scott', 'Nguyen', 'Hill', 'Flores', 'Green', 'Adams', 'Nelson', 'Baker', 'Hall', 'Rivera', 'Campbell',
  'Mitchell', 'Carter', 'Roberts', 'Patel', 'Kim', 'Okafor', 'Schmidt', 'Rossi', 'Novak', 'Tanaka', 'Silva',
] as const;

const ACME_SHOP = 'https://acme-outfitters.example.com';
const GLOBEX_SITE = 'https://globex.example.org';

export const ORG_SEEDS: readonly OrgSeed[] = [
  {
    orgId: 'org_acme',
    name: 'Acme Outfitters',
    plan: 'growth',
    timezone: 'America/Denver',
    website: ACME_SHOP,
    ageDays: 820,
    prngSeed: 0xac3e,
    subscribers: 60,
    unsubscribed: 6,
    bounced: 3,
    emailDomains: ['example.com', 'example.com', 'example.org'],
    tags: [['hiking', 0.45], ['camping', 0.35], ['climbing', 0.15], ['cycling', 0.2], ['trail-running', 0.15], ['winter-sports', 0.2], ['vip', 0.15], ['loyalty', 0.3]],
    sources: ['signup_form', 'signup_form', 'signup_form', 'checkout', 'checkout', 'event', 'import'],
    automationPerDay: [1, 6],
    senderProfiles: [
      { name: 'Newsletter', from_name: 'Acme Outfitters', from_email: 'news@acme-outfitters.example.com', reply_to: 'help@acme-outfitters.example.com' },
      { name: 'Promotions', from_name: 'Acme Outfitters Deals', from_email: 'deals@acme-outfitters.example.com', reply_to: null },
    ],
    segments: [
      { key: 'all', name: 'All subscribers', description: 'Everyone who is subscribed.', rule: () => ({ match: 'all', conditions: [] }) },
      { key: 'vip', name: 'VIP customers', description: 'Top spenders; they get early access.', rule: () => ({ match: 'all', conditions: [{ field: 'tag', operator: 'has', value: 'vip' }] }) },
      {
        key: 'outdoors',
        name: 'Hikers & campers',
        description: 'Interested in hiking or camping gear.',
        rule: () => ({ match: 'any', conditions: [{ field: 'tag', operator: 'has', value: 'hiking' }, { field: 'tag', operator: 'has', value: 'camping' }] }),
      },
      {
        key: 'new',
        name: 'New this quarter',
        description: 'Joined in the last 90 days.',
        rule: (today) => ({ match: 'all', conditions: [{ field: 'created_at', operator: 'on_or_after', value: addDays(today, -90) }] }),
      },
      {
        key: 'buyers',
        name: 'Checkout buyers (not VIP)',
        description: 'Signed up while buying, not yet VIP: the upsell audience.',
        rule: () => ({ match: 'all', conditions: [{ field: 'source', operator: 'is', value: 'checkout' }, { field: 'tag', operator: 'has_not', value: 'vip' }] }),
      },
    ],
    campaigns: [
      {
        name: 'Spring Trail Gear Sale', subject: 'Spring into the trail: 20% off packs and boots', preheader: 'Three days only, online and in store.',
        headline: 'Fresh trails, fresh gear', paragraph: 'Our spring sale takes 20% off every backpack and hiking boot through Sunday.', cta: 'Shop the sale',
        segment: 'all', profile: 1, state: 'sent', days: 104, hour: 15,
        links: [`${ACME_SHOP}/sale/spring`, `${ACME_SHOP}/c/backpacks`, `${ACME_SHOP}/c/hiking-boots`],
      },
      {
        name: 'Camping Checklist: 10 Essentials', subject: 'The 10 essentials for your first overnight', preheader: 'A printable checklist from our guides.',
        headline: 'Pack like a guide', paragraph: 'Our in-store guides share the ten things they never leave at the trailhead.', cta: 'Get the checklist',
        segment: 'outdoors', profile: 0, state: 'sent', days: 76, hour: 16,
        links: [`${ACME_SHOP}/journal/ten-essentials`, `${ACME_SHOP}/c/tents`, `${ACME_SHOP}/c/headlamps`, `${ACME_SHOP}/stores`],
      },
      {
        name: 'VIP Early Access: Summer Collection', subject: 'You are first in line for summer', preheader: 'VIP access opens today, 48 hours before everyone else.',
        headline: 'Summer, early', paragraph: 'As a VIP you can shop the new summer collection two days before it goes public.', cta: 'Shop early',
        segment: 'vip', profile: 0, state: 'sent', days: 41, hour: 14,
        links: [`${ACME_SHOP}/vip/summer`, `${ACME_SHOP}/c/sun-hoodies`],
      },
      {
        name: 'Summer Clearance', subject: 'Last call: up to 50% off summer gear', preheader: 'Tents, hammocks and water filters while they last.',
        headline: 'Make room for fall', paragraph: 'Up to half off the summer range: tents, hammocks, filters and more.', cta: 'See the deals',
        segment: 'all', profile: 1, state: 'sent', days: 12, hour: 15,
        links: [`${ACME_SHOP}/sale/clearance`, `${ACME_SHOP}/c/tents`, `${ACME_SHOP}/c/hammocks`, `${ACME_SHOP}/c/water-filters`],
      },
      {
        name: 'Fall Hiking Collection Launch', subject: 'Meet the fall hiking collection', preheader: 'Warm layers, new boots, and a trail map giveaway.',
        headline: 'Layers for the shoulder season', paragraph: 'The fall collection lands this week with new insulated layers and two new boots.', cta: 'Explore the collection',
        segment: 'outdoors', profile: 0, state: 'scheduled', days: 4, hour: 14,
        links: [`${ACME_SHOP}/c/fall`, `${ACME_SHOP}/c/insulated-jackets`],
      },
      {
        name: 'Weekend Flash Sale', subject: '48 hours: 30% off climbing gear', preheader: 'Ropes, harnesses and shoes.',
        headline: 'Flash sale', paragraph: 'This weekend only, 30% off climbing ropes, harnesses and shoes.', cta: 'Shop climbing',
        segment: 'all', profile: 1, state: 'scheduled', days: 2, hour: 9,
        links: [`${ACME_SHOP}/sale/flash`, `${ACME_SHOP}/c/climbing`],
      },
      {
        name: 'Holiday Gift Guide', subject: 'Gifts for everyone who would rather be outside', preheader: 'Ideas under $25, $50 and $100.',
        headline: 'The outdoor gift guide', paragraph: 'Stocking stuffers to big-ticket gear, picked by our staff.', cta: 'Browse the guide',
        segment: 'all', profile: 0, state: 'draft', days: 3, hour: 10,
        links: [`${ACME_SHOP}/gift-guide`],
      },
      {
        name: 'Winter Layering 101', subject: 'How to layer for cold-weather hikes', preheader: null,
        headline: null, paragraph: null, cta: 'Read more',
        segment: null, profile: null, state: 'draft', days: 1, hour: 9, links: [],
      },
    ],
  },
  {
    orgId: 'org_globex',
    name: 'Globex Corporation',
    plan: 'scale',
    timezone: 'America/Chicago',
    website: GLOBEX_SITE,
    ageDays: 540,
    prngSeed: 0x610b,
    subscribers: 25,
    unsubscribed: 2,
    bounced: 1,
    emailDomains: ['initech.example.com', 'hooli.example.org', 'umbrella.example.com', 'soylent.example.org', 'example.com'],
    tags: [['customer', 0.6], ['enterprise', 0.3], ['smb', 0.3], ['trial', 0.25], ['partner', 0.1], ['webinar', 0.3]],
    sources: ['signup_form', 'event', 'import', 'import'],
    automationPerDay: [0, 3],
    senderProfiles: [{ name: 'Product updates', from_name: 'Globex Product Team', from_email: 'product@globex.example.org', reply_to: 'support@globex.example.org' }],
    segments: [
      { key: 'all', name: 'All contacts', description: 'Every subscribed contact.', rule: () => ({ match: 'all', conditions: [] }) },
      { key: 'enterprise', name: 'Enterprise accounts', description: 'Contacts at enterprise customers.', rule: () => ({ match: 'all', conditions: [{ field: 'tag', operator: 'has', value: 'enterprise' }] }) },
      { key: 'trials', name: 'Active trials', description: 'Evaluating Globex on a trial.', rule: () => ({ match: 'all', conditions: [{ field: 'tag', operator: 'has', value: 'trial' }] }) },
      { key: 'webinar', name: 'Webinar attendees', description: 'Signed up at one of our webinars.', rule: () => ({ match: 'any', conditions: [{ field: 'tag', operator: 'has', value: 'webinar' }, { field: 'source', operator: 'is', value: 'event' }] }) },
    ],
    campaigns: [
      {
        name: 'Q3 Product Update', subject: 'What shipped at Globex this quarter', preheader: 'Faster exports, SSO for every plan, and a new API.',
        headline: 'Q3 at Globex', paragraph: 'Exports are three times faster, SSO is on every plan, and the v2 API is generally available.', cta: 'Read the release notes',
        segment: 'all', profile: 0, state: 'sent', days: 63, hour: 17,
        links: [`${GLOBEX_SITE}/releases/q3`, `${GLOBEX_SITE}/docs/api/v2`, `${GLOBEX_SITE}/security/sso`],
      },
      {
        name: 'Webinar: Scaling Operations', subject: 'Live on Thursday: scaling operations without scaling headcount', preheader: '45 minutes, with Q&A.',
        headline: 'Join us live', paragraph: 'Our solutions team walks through three customer rollouts and takes your questions.', cta: 'Save your seat',
        segment: 'webinar', profile: 0, state: 'sent', days: 30, hour: 16,
        links: [`${GLOBEX_SITE}/webinars/scaling-operations`],
      },
      {
        name: 'Release notes 4.2', subject: 'Globex 4.2: audit exports and custom roles', preheader: 'Available to every workspace next week.',
        headline: 'Globex 4.2', paragraph: 'Audit exports, custom roles and a redesigned admin console.', cta: 'See what is new',
        segment: 'all', profile: 0, state: 'scheduled', days: 6, hour: 15,
        links: [`${GLOBEX_SITE}/releases/4-2`],
      },
      {
        name: 'Customer Satisfaction Survey', subject: 'Two minutes to tell us how we are doing?', preheader: null,
        headline: 'How are we doing?', paragraph: 'Five questions, two minutes; every answer is read by the product team.', cta: 'Take the survey',
        segment: 'enterprise', profile: 0, state: 'draft', days: 2, hour: 11,
        links: [`${GLOBEX_SITE}/survey`],
      },
    ],
  },
];
