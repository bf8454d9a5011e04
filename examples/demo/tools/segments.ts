import { z } from 'zod';
import { fail } from '../../../src/errors/gatehouse-error.js';
import { defineTool, type ToolDefinition } from '../../../src/tools/define-tool.js';
import { newId, requireOrg, type MailroomDeps } from '../context.js';
import { requiredText, segmentId } from '../fields.js';
import { decodeCursor, pageFields, toPage } from '../pagination.js';
import { findSegmentRow, loadTags, pageShape, segmentShape, subscriberShape, toSegment, toSubscriber } from '../records.js';
import { describeRule, parseRule, segmentMembers, segmentRuleSchema, type SegmentRule } from '../segment-rule.js';

type Db = MailroomDeps['db'];

const segmentWithCount = segmentShape.extend({
  member_count: z.number().int().describe('Subscribed subscribers matching the rule right now.'),
});

/** Membership is live: counted at read time, never stored, so it cannot go stale. */
export async function countMembers(db: Db, orgId: string, rule: SegmentRule): Promise<number> {
  const row = await db.selectFrom('mailroom_subscribers').where(segmentMembers(orgId, rule)).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export function segmentTools({ db, now }: MailroomDeps): ToolDefinition[] {
  const listSegments = defineTool({
    name: 'list_segments',
    scope: 'mcp:read',
    title: 'List segments',
    description: 'Lists saved segments (audiences campaigns are sent to), newest first, each with its rule in plain English and its current member count.',
    input: z.object({ ...pageFields }),
    output: pageShape(segmentWithCount),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    handler: async (input, ctx) => {
      const orgId = requireOrg(ctx);
      const position = decodeCursor(input.cursor);
      const base = db.selectFrom('mailroom_segments').where('org_id', '=', orgId);
      const count = await base.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      let query = base.selectAll();
      if (position !== undefined) {
        query = query.where((eb) => eb.or([eb('created_at', '<', position.createdAt), eb.and([eb('created_at', '=', position.createdAt), eb('id', '<', position.id)])]));
      }
      const page = toPage(await query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(input.limit + 1).execute(), input.limit);
      const items = await Promise.all(page.rows.map(async (row) => ({ ...toSegment(row), member_count: await countMembers(db, orgId, parseRule(row.rule)) })));
      return { items, next_cursor: page.nextCursor, total: Number(count.n) };
    },
  });

  const getSegment = defineTool({
    name: 'get_segment',
    scope: 'mcp:read',
    title: 'Get a segment',
    description: 'Returns one segment: its rule, a plain-English summary, and how many subscribed subscribers match it now.',
    input: z.object({ segment_id: segmentId() }),
    output: segmentWithCount,
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    handler: async (input, ctx) => {
      const orgId = requireOrg(ctx);
      const row = await findSegmentRow(db, orgId, input.segment_id);
      return { ...toSegment(row), member_count: await countMembers(db, orgId, parseRule(row.rule)) };
    },
  });

  const previewSegment = defineTool({
    name: 'preview_segment',
    scope: 'mcp:read',
    title: 'Preview a segment rule',
    description: 'Evaluates a segment rule without saving it: how many subscribed subscribers match, and up to 5 of them. Use it to check a rule before create_segment.',
    input: z.object({ rule: segmentRuleSchema }),
    output: z.object({ rule_summary: z.string(), member_count: z.number().int(), sample: z.array(subscriberShape) }),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    handler: async (input, ctx) => {
      const orgId = requireOrg(ctx);
      const rows = await db.selectFrom('mailroom_subscribers').selectAll().where(segmentMembers(orgId, input.rule)).orderBy('created_at', 'desc').limit(5).execute();
      const tags = await loadTags(db, orgId, rows.map((r) => r.id));
      return {
        rule_summary: describeRule(input.rule),
        member_count: await countMembers(db, orgId, input.rule),
        sample: rows.map((r) => toSubscriber(r, tags.get(r.id) ?? [])),
      };
    },
  });

  const createSegment = defineTool({
    name: 'create_segment',
    scope: 'mcp:write',
    title: 'Create a segment',
    description:
      'Saves a segment: a named rule selecting subscribed subscribers by tag, source, email domain or join date, combined with all (AND) or any (OR). ' +
      'An empty conditions list selects everyone subscribed. Names are unique within the account.',
    input: z.object({
      name: requiredText('name', 200).describe('Display name, e.g. "Lapsed VIPs".'),
      description: z.string().trim().max(1000).optional().describe('What the audience is for.'),
      rule: segmentRuleSchema,
    }),
    output: segmentWithCount,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    handler: async (input, ctx) => {
      const orgId = requireOrg(ctx);
      const clash = await db.selectFrom('mailroom_segments').select('id').where('org_id', '=', orgId).where('name', '=', input.name).executeTakeFirst();
      if (clash !== undefined) {
        throw fail('invalid_state', `A segment named "${input.name}" already exists (${clash.id})`, { resource: 'segment', id: clash.id, field: 'name' });
      }
      const at = now().toISOString();
      const row = { id: newId('seg'), org_id: orgId, name: input.name, description: input.description ?? null, rule: JSON.stringify(input.rule), created_at: at, updated_at: at };
      await db.insertInto('mailroom_segments').values(row).execute();
      return { ...toSegment(row), member_count: await countMembers(db, orgId, input.rule) };
    },
  });

  const deleteSegment = defineTool({
    name: 'delete_segment',
    scope: 'mcp:write',
    title: 'Delete a segment',
    description:
      'Permanently deletes a segment. Subscribers are not affected. Refused while a scheduled campaign targets it (unschedule or retarget that campaign first); ' +
      'draft campaigns that targeted it are left without a segment. Sent campaigns keep their history.',
    input: z.object({ segment_id: segmentId() }),
    output: z.object({ id: z.string(), deleted: z.literal(true), drafts_cleared: z.array(z.string()).describe('Draft campaigns that lost their segment.') }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    destructive: { summary: (input) => `Permanently delete segment ${String(input.segment_id)}; draft campaigns that target it lose their audience. This cannot be undone.` },
    handler: async (input, ctx) => {
      const orgId = requireOrg(ctx);
      await findSegmentRow(db, orgId, input.segment_id);
      const users = await db.selectFrom('mailroom_campaigns').select(['id', 'status']).where('org_id', '=', orgId).where('segment_id', '=', input.segment_id).execute();
      const scheduled = users.filter((c) => c.status === 'scheduled').map((c) => c.id);
      if (scheduled.length > 0) {
        throw fail('invalid_state', `This segment is the audience of scheduled campaign(s) ${scheduled.join(', ')}; unschedule them or change their segment first`, {
          resource: 'segment',
          id: input.segment_id,
          campaigns: scheduled,
        });
      }
      const drafts = users.filter((c) => c.status === 'draft').map((c) => c.id);
      await db.transaction().execute(async (trx) => {
        if (drafts.length > 0) {
          await trx.updateTable('mailroom_campaigns').set({ segment_id: null, updated_at: now().toISOString() }).where('org_id', '=', orgId).where('id', 'in', drafts).execute();
        }
        await trx.deleteFrom('mailroom_segments').where('org_id', '=', orgId).where('id', '=', input.segment_id).execute();
      });
      return { id: input.segment_id, deleted: true as const, drafts_cleared: drafts };
    },
  });

  return [listSegments, getSegment, previewSegment, createSegment, deleteSegment];
}
