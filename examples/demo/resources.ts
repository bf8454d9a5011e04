import { defineResource, defineResourceTemplate, type ResourceDefinition, type ResourceTemplateDefinition } from '../../src/tools/define-resource.js';
import { requireOrg, type MailroomDeps } from './context.js';
import { GETTING_STARTED, GETTING_STARTED_URI } from './getting-started.js';
import { toCampaign, toSegment } from './records.js';
import { parseRule } from './segment-rule.js';
import { countMembers } from './tools/segments.js';

const JSON_TYPE = 'application/json';

function json(uri: string, value: unknown) {
  return { uri, mimeType: JSON_TYPE, text: JSON.stringify(value, null, 2) };
}

export function mailroomResources({ db }: MailroomDeps): (ResourceDefinition | ResourceTemplateDefinition)[] {
  const gettingStarted = defineResource({
    uri: GETTING_STARTED_URI,
    name: 'getting-started',
    title: 'Mailroom: getting started for agents',
    description: 'How Mailroom\'s objects, campaign lifecycle, tools and errors fit together. Read this first.',
    mimeType: 'text/markdown',
    size: Buffer.byteLength(GETTING_STARTED),
    // The same text for every caller, so any cache may keep it.
    cache: { ttlMs: 3_600_000, scope: 'public' },
    read: () => ({ uri: GETTING_STARTED_URI, mimeType: 'text/markdown', text: GETTING_STARTED }),
  });

  const campaign = defineResourceTemplate({
    uriTemplate: 'mailroom://campaigns/{id}',
    name: 'campaign',
    title: 'Campaign',
    description: 'One campaign of this organization as JSON (content, status, audience, sender, dates).',
    mimeType: JSON_TYPE,
    cache: { ttlMs: 0, scope: 'private' },
    list: async (ctx) => {
      const rows = await db.selectFrom('mailroom_campaigns').select(['id', 'name', 'status']).where('org_id', '=', requireOrg(ctx)).orderBy('created_at', 'desc').limit(50).execute();
      return rows.map((r) => ({ uri: `mailroom://campaigns/${r.id}`, name: r.id, title: r.name, description: `${r.status} campaign`, mimeType: JSON_TYPE }));
    },
    // Another organization's id reads as null, exactly like an unknown one (B-TEN-07).
    read: async (uri, variables, ctx) => {
      const orgId = requireOrg(ctx);
      const id = variables.id ?? '';
      const row = await db.selectFrom('mailroom_campaigns').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
      return row === undefined ? null : json(uri, toCampaign(row));
    },
  });

  const segment = defineResourceTemplate({
    uriTemplate: 'mailroom://segments/{id}',
    name: 'segment',
    title: 'Segment',
    description: 'One segment of this organization as JSON, with its rule and current member count.',
    mimeType: JSON_TYPE,
    cache: { ttlMs: 0, scope: 'private' },
    list: async (ctx) => {
      const rows = await db.selectFrom('mailroom_segments').select(['id', 'name']).where('org_id', '=', requireOrg(ctx)).orderBy('name').limit(50).execute();
      return rows.map((r) => ({ uri: `mailroom://segments/${r.id}`, name: r.id, title: r.name, mimeType: JSON_TYPE }));
    },
    read: async (uri, variables, ctx) => {
      const orgId = requireOrg(ctx);
      const id = variables.id ?? '';
      const row = await db.selectFrom('mailroom_segments').selectAll().where('org_id', '=', orgId).where('id', '=', id).executeTakeFirst();
      if (row === undefined) return null;
      return json(uri, { ...toSegment(row), member_count: await countMembers(db, orgId, parseRule(row.rule)) });
    },
  });

  return [gettingStarted, campaign, segment];
}
