import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import { z } from 'zod';
import { SUBSCRIBER_SOURCES, type MailroomSchema, type SubscriberSource } from './schema.js';

/**
 * A segment is a saved rule over subscribers. Membership is evaluated live
 * (never stored) and always limited to subscribed addresses: unsubscribed and
 * bounced subscribers never receive campaigns, whatever the rule says.
 */

export const tagSchema = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, { error: 'Tags are 1–40 characters: lowercase letters, digits, "-" and "_", starting with a letter or digit' })
  .describe('A tag, e.g. "vip" or "hiking" (lower-cased automatically).');

const conditionSchema = z.discriminatedUnion(
  'field',
  [
    z.object({
      field: z.literal('tag'),
      operator: z.enum(['has', 'has_not']).describe('has: the subscriber carries the tag; has_not: it does not.'),
      value: tagSchema,
    }),
    z.object({
      field: z.literal('source'),
      operator: z.enum(['is', 'is_not']),
      value: z.enum(SUBSCRIBER_SOURCES, { error: `source must be one of: ${SUBSCRIBER_SOURCES.join(', ')}` }).describe('How the subscriber joined.'),
    }),
    z.object({
      field: z.literal('email_domain'),
      operator: z.literal('is'),
      value: z
        .string()
        .trim()
        .toLowerCase()
        .regex(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/, { error: 'email_domain must be a domain such as example.com' })
        .describe('Domain after the @, e.g. example.com.'),
    }),
    z.object({
      field: z.literal('created_at'),
      operator: z.enum(['before', 'on_or_after']).describe('before: joined strictly before the date; on_or_after: joined that day or later.'),
      value: z.iso.date({ error: 'Dates are YYYY-MM-DD' }).describe('A UTC date, YYYY-MM-DD.'),
    }),
  ],
  { error: 'Each condition needs field: tag, source, email_domain or created_at' },
);

export const segmentRuleSchema = z
  .object({
    match: z.enum(['all', 'any']).default('all').describe('all: every condition must hold (AND); any: at least one (OR).'),
    conditions: z
      .array(conditionSchema)
      .max(20, { error: 'A segment rule has at most 20 conditions' })
      .describe('Conditions on subscribers. An empty list means every subscribed subscriber.'),
  })
  .describe('Which subscribers belong to the segment.');

export type SegmentRule = z.output<typeof segmentRuleSchema>;
export type SegmentCondition = SegmentRule['conditions'][number];

/** Parses a stored rule. Stored rules were validated on the way in, so a failure here is a bug. */
export function parseRule(json: string): SegmentRule {
  return segmentRuleSchema.parse(JSON.parse(json));
}

type SubscriberEb = ExpressionBuilder<MailroomSchema, 'mailroom_subscribers'>;

function conditionSql(eb: SubscriberEb, orgId: string, condition: SegmentCondition): Expression<SqlBool> {
  switch (condition.field) {
    case 'tag': {
      const tagged = eb.selectFrom('mailroom_subscriber_tags').select('subscriber_id').where('org_id', '=', orgId).where('tag', '=', condition.value);
      return eb('mailroom_subscribers.id', condition.operator === 'has' ? 'in' : 'not in', tagged);
    }
    case 'source':
      return eb('mailroom_subscribers.source', condition.operator === 'is' ? '=' : '<>', condition.value);
    case 'email_domain':
      // The value is a validated domain, so it holds no LIKE wildcards.
      return eb('mailroom_subscribers.email', 'like', `%@${condition.value}`);
    case 'created_at':
      return eb('mailroom_subscribers.created_at', condition.operator === 'before' ? '<' : '>=', `${condition.value}T00:00:00.000Z`);
  }
}

/** The members of a segment as a WHERE clause on `mailroom_subscribers` (already limited to the organization). */
export function segmentMembers(orgId: string, rule: SegmentRule): (eb: SubscriberEb) => Expression<SqlBool> {
  return (eb) => {
    const base = [eb('mailroom_subscribers.org_id', '=', orgId), eb('mailroom_subscribers.status', '=', 'subscribed')];
    if (rule.conditions.length === 0) return eb.and(base);
    const parts = rule.conditions.map((c) => conditionSql(eb, orgId, c));
    return eb.and([...base, rule.match === 'all' ? eb.and(parts) : eb.or(parts)]);
  };
}

/** What the in-memory matcher needs of a subscriber. */
export interface RuleSubject {
  readonly email: string;
  readonly source: SubscriberSource;
  readonly created_at: string;
  readonly tags: readonly string[];
}

/**
 * The same rule evaluated in memory, status aside. The seed uses it to size
 * campaign audiences, and a test checks it agrees with the SQL above.
 */
export function ruleMatches(rule: SegmentRule, subject: RuleSubject): boolean {
  const test = (c: SegmentCondition): boolean => {
    switch (c.field) {
      case 'tag':
        return subject.tags.includes(c.value) === (c.operator === 'has');
      case 'source':
        return (subject.source === c.value) === (c.operator === 'is');
      case 'email_domain':
        return subject.email.endsWith(`@${c.value}`);
      case 'created_at':
        return (subject.created_at < `${c.value}T00:00:00.000Z`) === (c.operator === 'before');
    }
  };
  if (rule.conditions.length === 0) return true;
  return rule.match === 'all' ? rule.conditions.every(test) : rule.conditions.some(test);
}

/** A one-line English reading of a rule, for list output and prompts. */
export function describeRule(rule: SegmentRule): string {
  if (rule.conditions.length === 0) return 'All subscribed subscribers';
  const words = rule.conditions.map((c) => {
    switch (c.field) {
      case 'tag':
        return `${c.operator === 'has' ? 'tagged' : 'not tagged'} "${c.value}"`;
      case 'source':
        return `source ${c.operator === 'is' ? 'is' : 'is not'} ${c.value}`;
      case 'email_domain':
        return `email at ${c.value}`;
      case 'created_at':
        return `joined ${c.operator === 'before' ? 'before' : 'on or after'} ${c.value}`;
    }
  });
  return `Subscribed, ${words.join(rule.match === 'all' ? ' and ' : ' or ')}`;
}
