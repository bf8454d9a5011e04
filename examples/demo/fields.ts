import { z } from 'zod';

/**
 * Input fields shared by several tools. Their messages are what the model
 * reads when a call is refused (B-POL-09), so each says what is expected.
 */

/** A string field whose missing and wrong-type messages name it. */
function text(field: string) {
  return z.string({ error: (issue) => (issue.input === undefined ? `${field} is required` : `${field} must be a string`) });
}

/** Required free text, trimmed, 1–`max` characters. */
export function requiredText(field: string, max: number) {
  return text(field)
    .trim()
    .min(1, { error: `${field} cannot be empty` })
    .max(max, { error: `${field} is at most ${max} characters` });
}

function idField(prefix: string, what: string) {
  return text(`${what}_id`)
    .regex(new RegExp(`^${prefix}_[A-Za-z0-9]{1,36}$`), { error: `${what}_id must be a ${what.replaceAll('_', ' ')} id like ${prefix}_1a2b3c…` });
}

export const subscriberId = () => idField('sub', 'subscriber').describe('Subscriber id (sub_…), from list_subscribers.');
export const segmentId = () => idField('seg', 'segment').describe('Segment id (seg_…), from list_segments.');
export const senderProfileId = () => idField('snd', 'sender_profile').describe('Sender profile id (snd_…), from list_sender_profiles.');
export const campaignId = () => idField('cmp', 'campaign').describe('Campaign id (cmp_…), from list_campaigns.');

export const emailField = () => z.email({ error: 'A valid email address is required' }).max(320).toLowerCase();

export const personName = (which: 'first' | 'last') =>
  text(`${which}_name`)
    .trim()
    .min(1, { error: `${which}_name cannot be empty; pass null to clear it` })
    .max(100, { error: `${which}_name is at most 100 characters` });

/** A UTC calendar day, for report windows. */
export const dayField = (name: string) => z.iso.date({ error: `${name} must be a date in YYYY-MM-DD format` });
