import { z } from 'zod';
import { defineTool, type ToolDefinition } from '../../../src/tools/define-tool.js';
import { containsText, newId, requireOrg, type MailroomDeps } from '../context.js';
import { campaignId, requiredText, segmentId, senderProfileId } from '../fields.js';
import { decodeCursor, pageFields, toPage } from '../pagination.js';
import { campaignShape, campaignSummaryShape, findCampaignRow, findSegmentRow, findSenderProfileRow, pageShape, toCampaign, toCampaignSummary } from '../records.js';
import { CAMPAIGN_STATUSES, type CampaignRow } from '../schema.js';
import { assertStatus, contentFields, htmlToText } from './campaign-rules.js';

type Db = MailroomDeps['db'];

/** Checks that referenced records exist in the organization (not_found otherwise, B-TEN-07). */
async function checkReferences(db: Db, orgId: string, refs: { segment_id?: string | null | undefined; sender_profile_id?: string | null | undefined }): Promise<void> {
  if (typeof refs.segment_id === 'string') await findSegmentRow(db, orgId, refs.segment_id);
  if (typeof refs.sender_profile_id === 'string') await findSenderProfileRow(db, orgId, refs.sender_profile_id);
}

export function campaignTools({ db, now }: MailroomDeps): ToolDefinition[] {
  const listCampaigns = defineTool({
    name: 'list_campaigns',
    scope: 'mcp:read',
    title: 'List campaigns',
    description: 'Lists email campaigns, newest first, without their bodies. Filter by status (draft, scheduled, sent) or by text in the name or subject.',
    input: z.object({
      status: z.enum(CAMPAIGN_STATUSES, { error: `status must be one of: ${CAMPAIGN_STATUSES.join(', ')}` }).optional().describe('Only campaigns in this state.'),
      search: z.string().trim().min(1).max(200).optional().describe('Case-insensitive text to find in the name or subject.'),
      ...pageFields,
    }),
    output: pageShape(campaignSummaryShape),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    handler: async (input, ctx) => {
      const orgId = requireOrg(ctx);
      const position = decodeCursor(input.cursor);
      let query = db.selectFrom('mailroom_campaigns').where('org_id', '=', orgId);
      if (input.status !== undefined) query = query.where('status', '=', input.status);
      if (input.search !== undefined) {
        const text = input.search;
        query = query.where((eb) => eb.or([containsText('name', text), containsText('subject', text)]));
      }
      const count = await query.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      let rows = query.selectAll();
      if (position !== undefined) {
        rows = rows.where((eb) => eb.or([eb('created_at', '<', position.createdAt), eb.and([eb('created_at', '=', position.createdAt), eb('id', '<', position.id)])]));
      }
      const page = toPage(await rows.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(input.limit + 1).execute(), input.limit);
      return { items: page.rows.map(toCampaignSummary), next_cursor: page.nextCursor, total: Number(count.n) };
    },
  });

  const getCampaign = defineTool({
    name: 'get_campaign',
    scope: 'mcp:read',
    title: 'Get a campaign',
    description: 'Returns one campaign with its subject, preheader, HTML and text bodies, status, audience segment, sender profile and dates.',
    input: z.object({ campaign_id: campaignId() }),
    output: campaignShape,
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    handler: async (input, ctx) => toCampaign(await findCampaignRow(db, requireOrg(ctx), input.campaign_id)),
  });

  const createCampaign = defineTool({
    name: 'create_campaign',
    scope: 'mcp:write',
    title: 'Create a draft campaign',
    description:
      'Creates a campaign as a draft. Only name is required, so a draft can be saved early and completed with update_campaign. ' +
      'Before it can be scheduled it needs a subject, body_html and segment_id; sender_profile_id is filled in automatically when the account has exactly one profile.',
    input: z.object({
      name: requiredText('name', 200).describe('Internal name, e.g. "Fall launch".'),
      subject: contentFields.subject.optional(),
      preheader: contentFields.preheader.optional(),
      body_html: contentFields.body_html.optional(),
      body_text: contentFields.body_text.optional(),
      segment_id: segmentId().optional().describe('Audience segment (seg_…), from list_segments.'),
      sender_profile_id: senderProfileId().optional(),
    }),
    output: campaignShape,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    handler: async (input, ctx) => {
      const orgId = requireOrg(ctx);
      await checkReferences(db, orgId, input);
      let profileId = input.sender_profile_id ?? null;
      if (profileId === null) {
        // B-TEN-06: exactly one profile is chosen for the caller; with several the choice waits for scheduling.
        const profiles = await db.selectFrom('mailroom_sender_profiles').select('id').where('org_id', '=', orgId).limit(2).execute();
        if (profiles.length === 1) profileId = profiles[0]?.id ?? null;
      }
      const at = now().toISOString();
      const row: CampaignRow = {
        id: newId('cmp'),
        org_id: orgId,
        name: input.name,
        subject: input.subject ?? null,
        preheader: input.preheader ?? null,
        body_html: input.body_html ?? null,
        body_text: input.body_text ?? (input.body_html === undefined ? null : htmlToText(input.body_html)),
        status: 'draft',
        segment_id: input.segment_id ?? null,
        sender_profile_id: profileId,
        scheduled_at: null,
        sent_at: null,
        created_at: at,
        updated_at: at,
      };
      await db.insertInto('mailroom_campaigns').values(row).execute();
      return toCampaign(row);
    },
  });

  const updateCampaign = defineTool({
    name: 'update_campaign',
    scope: 'mcp:write',
    title: 'Update a draft campaign',
    description:
      'Changes a draft campaign: pass only the fields to change; pass null for segment_id or sender_profile_id to clear them. ' +
      'Only draft campaigns can be updated: unschedule a scheduled one first; sent campaigns are final (use duplicate_campaign).',
    input: z.object({
      campaign_id: campaignId(),
      name: requiredText('name', 200).optional().describe('New internal name.'),
      subject: contentFields.subject.optional(),
      preheader: contentFields.preheader.nullable().optional().describe('New preview text, or null to clear it.'),
      body_html: contentFields.body_html.optional(),
      body_text: contentFields.body_text.optional(),
      segment_id: segmentId().nullable().optional().describe('New audience segment, or null to clear it.'),
      sender_profile_id: senderProfileId().nullable().optional().describe('New sender profile, or null to clear it.'),
    }),
    output: campaignShape,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    handler: async (input, ctx) => {
      const orgId = requireOrg(ctx);
      const row = await findCampaignRow(db, orgId, input.campaign_id);
      assertStatus(row, ['draft'], 'updated');
      await checkReferences(db, orgId, input);
      const { campaign_id: _id, ...fields } = input;
      const changes = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as Partial<CampaignRow>;
      // A new HTML body without a new text body would leave a stale text version behind.
      if (input.body_html !== undefined && input.body_text === undefined) changes.body_text = htmlToText(input.body_html);
      if (Object.keys(changes).length === 0) return toCampaign(row);
      const updated = { ...row, ...changes, updated_at: now().toISOString() };
      // The status guard in the WHERE clause closes the race with a concurrent schedule_campaign.
      const result = await db
        .updateTable('mailroom_campaigns')
        .set({ ...changes, updated_at: updated.updated_at })
        .where('org_id', '=', orgId)
        .where('id', '=', row.id)
        .where('status', '=', 'draft')
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) assertStatus(await findCampaignRow(db, orgId, row.id), ['draft'], 'updated');
      return toCampaign(updated);
    },
  });

  const duplicateCampaign = defineTool({
    name: 'duplicate_campaign',
    scope: 'mcp:write',
    title: 'Duplicate a campaign',
    description: 'Copies any campaign (draft, scheduled or sent) into a new draft with the same content, segment and sender profile. The usual way to resend or rework a sent campaign.',
    input: z.object({
      campaign_id: campaignId(),
      name: requiredText('name', 200).optional().describe('Name of the copy; defaults to "Copy of <name>".'),
    }),
    output: campaignShape,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    handler: async (input, ctx) => {
      const orgId = requireOrg(ctx);
      const source = await findCampaignRow(db, orgId, input.campaign_id);
      // The segment may have been deleted since a sent campaign went out; a draft must not point at nothing.
      const segmentExists =
        source.segment_id !== null &&
        (await db.selectFrom('mailroom_segments').select('id').where('org_id', '=', orgId).where('id', '=', source.segment_id).executeTakeFirst()) !== undefined;
      const at = now().toISOString();
      const copy: CampaignRow = {
        ...source,
        id: newId('cmp'),
        name: (input.name ?? `Copy of ${source.name}`).slice(0, 200),
        status: 'draft',
        segment_id: segmentExists ? source.segment_id : null,
        scheduled_at: null,
        sent_at: null,
        created_at: at,
        updated_at: at,
      };
      await db.insertInto('mailroom_campaigns').values(copy).execute();
      return toCampaign(copy);
    },
  });

  const deleteCampaign = defineTool({
    name: 'delete_campaign',
    scope: 'mcp:write',
    title: 'Delete a draft campaign',
    description: 'Permanently deletes a draft campaign. Only draft campaigns can be deleted: unschedule a scheduled one first; sent campaigns are kept for reporting.',
    input: z.object({ campaign_id: campaignId() }),
    output: z.object({ id: z.string(), deleted: z.literal(true) }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    destructive: { summary: (input) => `Permanently delete draft campaign ${String(input.campaign_id)}. This cannot be undone.` },
    handler: async (input, ctx) => {
      const orgId = requireOrg(ctx);
      const row = await findCampaignRow(db, orgId, input.campaign_id);
      assertStatus(row, ['draft'], 'deleted');
      const result = await db.deleteFrom('mailroom_campaigns').where('org_id', '=', orgId).where('id', '=', row.id).where('status', '=', 'draft').executeTakeFirst();
      if (result.numDeletedRows === 0n) assertStatus(await findCampaignRow(db, orgId, row.id), ['draft'], 'deleted');
      return { id: row.id, deleted: true as const };
    },
  });

  return [listCampaigns, getCampaign, createCampaign, updateCampaign, duplicateCampaign, deleteCampaign];
}
