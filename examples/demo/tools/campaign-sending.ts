import { z } from 'zod';
import { fail } from '../../../src/errors/gatehouse-error.js';
import { defineTool, type ToolDefinition } from '../../../src/tools/define-tool.js';
import { requireOrg, type MailroomDeps } from '../context.js';
import { campaignId, emailField, senderProfileId } from '../fields.js';
import { campaignShape, findCampaignRow, findSegmentRow, toCampaign } from '../records.js';
import { parseRule } from '../segment-rule.js';
import { assertSendable, assertStatus, resolveSenderProfile } from './campaign-rules.js';
import { countMembers } from './segments.js';

// Far enough ahead for any real plan, near enough that a typo in the year is caught.
const MAX_SCHEDULE_AHEAD_MS = 365 * 86_400_000;

export function campaignSendingTools({ db, now }: MailroomDeps): ToolDefinition[] {
  const scheduleCampaign = defineTool({
    name: 'schedule_campaign',
    scope: 'mcp:write',
    title: 'Schedule a campaign',
    description:
      'Schedules a draft campaign to be sent to its segment at scheduled_at (ISO 8601 with a timezone, in the future). ' +
      'The campaign needs a subject, body_html and segment_id, and a verified sender profile: pass sender_profile_id when the account has several. ' +
      'Use send_test_email first to check it. Unschedule with unschedule_campaign.',
    input: z.object({
      campaign_id: campaignId(),
      scheduled_at: z.iso
        .datetime({ offset: true, error: 'scheduled_at must be an ISO 8601 date-time with a timezone, e.g. 2026-03-01T15:00:00Z' })
        .describe('When to send, ISO 8601 with Z or an offset, e.g. 2026-03-01T15:00:00-07:00.'),
      sender_profile_id: senderProfileId().optional().describe('Sender profile to send from; overrides the one on the campaign.'),
    }),
    output: campaignShape.extend({ audience_size: z.number().int().describe('Subscribed members of the segment right now.') }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    handler: async (input, ctx) => {
      const orgId = requireOrg(ctx);
      const row = await findCampaignRow(db, orgId, input.campaign_id);
      assertStatus(row, ['draft'], 'scheduled');
      const at = Date.parse(input.scheduled_at);
      const current = now();
      if (at <= current.getTime()) {
        throw fail('invalid_input', `scheduled_at must be in the future (it is now ${current.toISOString()})`, { field: 'scheduled_at' });
      }
      if (at - current.getTime() > MAX_SCHEDULE_AHEAD_MS) throw fail('invalid_input', 'scheduled_at must be within the next 365 days', { field: 'scheduled_at' });
      assertSendable(row);
      if (row.segment_id === null) throw fail('invalid_input', 'The campaign has no audience: set segment_id with update_campaign first', { field: 'segment_id' });
      const segment = await findSegmentRow(db, orgId, row.segment_id);
      const audience = await countMembers(db, orgId, parseRule(segment.rule));
      if (audience === 0) {
        throw fail('invalid_state', `Segment ${segment.id} ("${segment.name}") has no subscribed members, so nobody would receive the campaign`, {
          resource: 'segment',
          id: segment.id,
          member_count: 0,
        });
      }
      const profile = await resolveSenderProfile(db, orgId, input.sender_profile_id ?? row.sender_profile_id);
      const scheduledAt = new Date(at).toISOString();
      const updatedAt = current.toISOString();
      const result = await db
        .updateTable('mailroom_campaigns')
        .set({ status: 'scheduled', scheduled_at: scheduledAt, sender_profile_id: profile.id, updated_at: updatedAt })
        .where('org_id', '=', orgId)
        .where('id', '=', row.id)
        .where('status', '=', 'draft')
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) assertStatus(await findCampaignRow(db, orgId, row.id), ['draft'], 'scheduled');
      ctx.logger.info({ campaign_id: row.id, scheduled_at: scheduledAt }, 'campaign scheduled');
      return {
        ...toCampaign({ ...row, status: 'scheduled', scheduled_at: scheduledAt, sender_profile_id: profile.id, updated_at: updatedAt }),
        audience_size: audience,
      };
    },
  });

  const unscheduleCampaign = defineTool({
    name: 'unschedule_campaign',
    scope: 'mcp:write',
    title: 'Unschedule a campaign',
    description: 'Cancels the send of a scheduled campaign and returns it to draft, so it can be edited and scheduled again.',
    input: z.object({ campaign_id: campaignId() }),
    output: campaignShape,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    handler: async (input, ctx) => {
      const orgId = requireOrg(ctx);
      const row = await findCampaignRow(db, orgId, input.campaign_id);
      assertStatus(row, ['scheduled'], 'unscheduled');
      const updatedAt = now().toISOString();
      const result = await db
        .updateTable('mailroom_campaigns')
        .set({ status: 'draft', scheduled_at: null, updated_at: updatedAt })
        .where('org_id', '=', orgId)
        .where('id', '=', row.id)
        .where('status', '=', 'scheduled')
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) assertStatus(await findCampaignRow(db, orgId, row.id), ['scheduled'], 'unscheduled');
      return toCampaign({ ...row, status: 'draft', scheduled_at: null, updated_at: updatedAt });
    },
  });

  const sendTestEmail = defineTool({
    name: 'send_test_email',
    scope: 'mcp:write',
    title: 'Send a test email',
    description:
      'Sends a test copy of a campaign (any status) to up to 5 addresses, with "[Test]" before the subject. Nothing is recorded in reports ' +
      'and the campaign does not change. The campaign needs a subject and body_html.',
    input: z.object({
      campaign_id: campaignId(),
      recipients: z
        .array(emailField())
        .min(1, { error: 'recipients needs at least one email address' })
        .max(5, { error: 'A test goes to at most 5 recipients' })
        .describe('Addresses to send the test to, usually the requesting user\'s own.'),
      sender_profile_id: senderProfileId().optional().describe('Sender profile to test with; defaults to the campaign\'s.'),
    }),
    output: z.object({
      campaign_id: z.string(),
      recipients: z.array(z.string()),
      subject: z.string(),
      from: z.string().describe('The From header used.'),
      test: z.literal(true),
    }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    handler: async (input, ctx) => {
      const orgId = requireOrg(ctx);
      const row = await findCampaignRow(db, orgId, input.campaign_id);
      const { subject } = assertSendable(row);
      const profile = await resolveSenderProfile(db, orgId, input.sender_profile_id ?? row.sender_profile_id);
      const recipients = [...new Set(input.recipients)];
      // The demo has no mail transport: the test is logged (without addresses, which are PII) and reported back.
      ctx.logger.info({ campaign_id: row.id, recipient_count: recipients.length }, 'test email sent');
      return { campaign_id: row.id, recipients, subject: `[Test] ${subject}`, from: `${profile.from_name} <${profile.from_email}>`, test: true as const };
    },
  });

  const sendCampaign = defineTool({
    name: 'send_campaign',
    scope: 'mcp:write',
    title: 'Send a campaign now',
    description:
      'Sends a draft or scheduled campaign to its segment right now. This cannot be undone: the email goes out. ' +
      'Pass an idempotency_key (a new UUID per send): if the call is retried with the same key, the campaign is not sent twice. ' +
      'Its report has data from the next daily refresh.',
    input: z.object({ campaign_id: campaignId(), sender_profile_id: senderProfileId().optional().describe('Sender profile to send from; overrides the one on the campaign.') }),
    output: campaignShape.extend({ audience_size: z.number().int().describe('Subscribed members it was sent to.') }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: true },
    destructive: { summary: (input) => `Send campaign ${String(input.campaign_id)} to every subscribed member of its segment now. Emails cannot be recalled.` },
    idempotent: true,
    cost: 10,
    handler: async (input, ctx) => {
      const orgId = requireOrg(ctx);
      const row = await findCampaignRow(db, orgId, input.campaign_id);
      assertStatus(row, ['draft', 'scheduled'], 'sent');
      assertSendable(row);
      if (row.segment_id === null) throw fail('invalid_input', 'The campaign has no audience: set segment_id with update_campaign first', { field: 'segment_id' });
      const audience = await countMembers(db, orgId, parseRule((await findSegmentRow(db, orgId, row.segment_id)).rule));
      if (audience === 0) throw fail('invalid_state', 'The campaign’s segment has no subscribed members, so nobody would receive it', { resource: 'segment', id: row.segment_id });
      const profile = await resolveSenderProfile(db, orgId, input.sender_profile_id ?? row.sender_profile_id);
      const sentAt = now().toISOString();
      const result = await db
        .updateTable('mailroom_campaigns')
        .set({ status: 'sent', sent_at: sentAt, scheduled_at: null, sender_profile_id: profile.id, updated_at: sentAt })
        .where('org_id', '=', orgId)
        .where('id', '=', row.id)
        .where('status', 'in', ['draft', 'scheduled'])
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) assertStatus(await findCampaignRow(db, orgId, row.id), ['draft', 'scheduled'], 'sent');
      // The demo has no mail transport: the send is logged and recorded.
      ctx.logger.info({ campaign_id: row.id, audience }, 'campaign sent');
      return { ...toCampaign({ ...row, status: 'sent', sent_at: sentAt, scheduled_at: null, sender_profile_id: profile.id, updated_at: sentAt }), audience_size: audience };
    },
  });

  return [scheduleCampaign, unscheduleCampaign, sendTestEmail, sendCampaign];
}
