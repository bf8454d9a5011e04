import { z } from 'zod';
import { fail } from '../../../src/errors/gatehouse-error.js';
import type { MailroomDeps } from '../context.js';
import { requiredText } from '../fields.js';
import { findSenderProfileRow } from '../records.js';
import type { CampaignRow, CampaignStatus, SenderProfileRow } from '../schema.js';

/**
 * The campaign state machine and the checks shared by the campaign tools.
 *
 *   draft ──schedule──▶ scheduled ──(send time)──▶ sent
 *     ▲                    │
 *     └────unschedule──────┘
 *
 * Only drafts are edited or deleted; only sent campaigns have reports.
 */

type Db = MailroomDeps['db'];

/** Refuses the operation unless the campaign is in one of `allowed`, with the exact message agents key on. */
export function assertStatus(row: CampaignRow, allowed: readonly CampaignStatus[], verb: string): void {
  if (allowed.includes(row.status)) return;
  throw fail('invalid_state', `Only ${allowed.join(' or ')} campaigns can be ${verb}`, {
    resource: 'campaign',
    id: row.id,
    status: row.status,
    allowed_status: [...allowed],
  });
}

/** Content fields shared by create and update; every one optional so drafts can be saved half-written. */
export const contentFields = {
  subject: requiredText('subject', 300).describe('Subject line recipients see.'),
  preheader: z.string().trim().max(300, { error: 'preheader is at most 300 characters' }).describe('Preview text shown after the subject in most inboxes.'),
  body_html: z.string().min(1, { error: 'body_html cannot be empty' }).max(200_000).describe('HTML body. {{first_name}} is replaced per recipient.'),
  body_text: z.string().min(1, { error: 'body_text cannot be empty' }).max(100_000).describe('Plain-text body; derived from body_html when omitted.'),
};

/** A readable plain-text fallback, so a draft written in HTML alone is still sendable. */
export function htmlToText(html: string): string {
  return html
    .replace(/<a\s[^>]*href="([^"]*)"[^>]*>(.*?)<\/a>/gi, '$2: $1')
    .replace(/<\/(p|h[1-6]|li|div)>|<br\s*\/?>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * The profile a campaign sends from: the one given, else the campaign's, else
 * the account's only profile. With several and none chosen the caller must pick
 * (B-TEN-06); an unverified profile cannot send.
 */
export async function resolveSenderProfile(db: Db, orgId: string, chosen: string | null): Promise<SenderProfileRow> {
  let profile: SenderProfileRow;
  if (chosen !== null) {
    profile = await findSenderProfileRow(db, orgId, chosen);
  } else {
    const all = await db.selectFrom('mailroom_sender_profiles').selectAll().where('org_id', '=', orgId).orderBy('created_at').orderBy('id').execute();
    const [only, ...others] = all;
    if (only === undefined) {
      throw fail('invalid_input', 'This account has no sender profile yet: create one with create_sender_profile, then pass its id as sender_profile_id', { field: 'sender_profile_id' });
    }
    if (others.length > 0) {
      throw fail('profile_required', `This account has ${all.length} sender profiles: pass sender_profile_id (one of ${all.map((p) => p.id).join(', ')})`, {
        profiles: all.map((p) => ({ id: p.id, name: `${p.name}: ${p.from_name} <${p.from_email}>` })),
        parameter: 'sender_profile_id',
      });
    }
    profile = only;
  }
  if (profile.verified !== 1) {
    throw fail('invalid_state', `Sender profile ${profile.id} (${profile.from_email}) is not verified yet; verify its domain in the Mailroom dashboard or choose a verified profile`, {
      resource: 'sender_profile',
      id: profile.id,
      status: 'unverified',
      allowed_status: ['verified'],
    });
  }
  return profile;
}

/** Subject and body must exist before anything is sent, test or real; the error names the missing field. */
export function assertSendable(row: CampaignRow): { subject: string; bodyHtml: string } {
  if (row.subject === null) throw fail('invalid_input', 'The campaign has no subject: set one with update_campaign first', { field: 'subject' });
  if (row.body_html === null) throw fail('invalid_input', 'The campaign has no body: set body_html with update_campaign first', { field: 'body_html' });
  return { subject: row.subject, bodyHtml: row.body_html };
}
