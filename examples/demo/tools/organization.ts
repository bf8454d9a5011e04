import { z } from 'zod';
import { defineTool, type ToolDefinition } from '../../../src/tools/define-tool.js';
import { notFound, requireOrg, type MailroomDeps } from '../context.js';
import { metaShape } from '../records.js';
import { CAMPAIGN_STATUSES, SUBSCRIBER_STATUSES } from '../schema.js';

type Db = MailroomDeps['db'];

async function countByStatus<S extends string>(db: Db, table: 'mailroom_subscribers' | 'mailroom_campaigns', orgId: string, statuses: readonly S[]): Promise<Record<S, number>> {
  const rows = await db
    .selectFrom(table)
    .select((eb) => ['status', eb.fn.countAll().as('n')])
    .where('org_id', '=', orgId)
    .groupBy('status')
    .execute();
  const counts = Object.fromEntries(statuses.map((s) => [s, 0])) as Record<S, number>;
  for (const row of rows) if ((statuses as readonly string[]).includes(row.status)) counts[row.status as S] = Number(row.n);
  return counts;
}

async function countRows(db: Db, table: 'mailroom_segments' | 'mailroom_sender_profiles', orgId: string): Promise<number> {
  const row = await db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('org_id', '=', orgId).executeTakeFirstOrThrow();
  return Number(row.n);
}

export function organizationTools({ db, now }: MailroomDeps): ToolDefinition[] {
  const getOrganization = defineTool({
    name: 'get_organization',
    scope: 'mcp:read',
    title: 'Get the organization',
    description:
      'Describes the Mailroom account this session acts in: name, plan, timezone, and how many subscribers (by status), segments, sender profiles and campaigns (by status) it has. ' +
      'A good first call to orient yourself.',
    input: z.object({}),
    output: z.object({
      id: z.string(),
      name: z.string(),
      plan: z.string(),
      timezone: z.string().describe('IANA timezone the team works in; reports themselves are in UTC days.'),
      website: z.string().nullable(),
      created_at: z.string(),
      counts: z.object({
        subscribers: z.object({ total: z.number().int(), subscribed: z.number().int(), unsubscribed: z.number().int(), bounced: z.number().int() }),
        segments: z.number().int(),
        sender_profiles: z.number().int(),
        campaigns: z.object({ total: z.number().int(), draft: z.number().int(), scheduled: z.number().int(), sent: z.number().int() }),
      }),
      meta: metaShape,
    }),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    handler: async (_input, ctx) => {
      // Counts are live, so they are as of this call.
      const asOf = now().toISOString();
      const orgId = requireOrg(ctx);
      const org = await db.selectFrom('mailroom_organizations').selectAll().where('org_id', '=', orgId).executeTakeFirst();
      if (org === undefined) throw notFound('organization', orgId);
      const subscribers = await countByStatus(db, 'mailroom_subscribers', orgId, SUBSCRIBER_STATUSES);
      const campaigns = await countByStatus(db, 'mailroom_campaigns', orgId, CAMPAIGN_STATUSES);
      const sum = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
      return {
        id: org.org_id,
        name: org.name,
        plan: org.plan,
        timezone: org.timezone,
        website: org.website,
        created_at: org.created_at,
        counts: {
          subscribers: { total: sum(subscribers), ...subscribers },
          segments: await countRows(db, 'mailroom_segments', orgId),
          sender_profiles: await countRows(db, 'mailroom_sender_profiles', orgId),
          campaigns: { total: sum(campaigns), ...campaigns },
        },
        meta: { data_as_of: asOf },
      };
    },
  });

  const updateOrganization = defineTool({
    name: 'update_organization',
    scope: 'mcp:admin',
    // Renaming the account or moving its timezone changes every report's days: owners only (B-TEN-03).
    minRole: 'owner',
    title: 'Update the organization',
    description:
      'Changes the Mailroom account settings: display name, IANA timezone or website. Only the owner may do this. ' +
      'Pass only the fields to change; returns the updated organization.',
    input: z.object({
      name: z.string().trim().min(1).max(200).optional().describe('New display name.'),
      timezone: z
        .string()
        .refine((tz) => Intl.supportedValuesOf('timeZone').includes(tz) || tz === 'UTC', 'must be an IANA timezone such as Europe/Berlin')
        .optional()
        .describe('IANA timezone, e.g. America/New_York.'),
      website: z.url({ protocol: /^https?$/ }).nullable().optional().describe('Public website, or null to clear it.'),
    }),
    output: z.object({ id: z.string(), name: z.string(), timezone: z.string(), website: z.string().nullable(), meta: metaShape }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    handler: async (input, ctx) => {
      const orgId = requireOrg(ctx);
      const changes = {
        ...(input.name === undefined ? {} : { name: input.name }),
        ...(input.timezone === undefined ? {} : { timezone: input.timezone }),
        ...(input.website === undefined ? {} : { website: input.website }),
      };
      if (Object.keys(changes).length > 0) await db.updateTable('mailroom_organizations').set(changes).where('org_id', '=', orgId).execute();
      const org = await db.selectFrom('mailroom_organizations').selectAll().where('org_id', '=', orgId).executeTakeFirst();
      if (org === undefined) throw notFound('organization', orgId);
      return { id: org.org_id, name: org.name, timezone: org.timezone, website: org.website, meta: { data_as_of: now().toISOString() } };
    },
  });

  return [getOrganization, updateOrganization];
}
