import { definePrompt, type PromptDefinition } from '../../src/tools/define-prompt.js';
import { text } from '../../src/tools/content.js';
import type { MailroomDeps } from './context.js';
import { addDays, dayOf } from './dates.js';
import { GETTING_STARTED_URI } from './getting-started.js';

/**
 * Prompts are workflows the user picks from a menu. They only instruct the
 * model; the tools enforce every rule, so a prompt cannot skip one.
 */
export function mailroomPrompts({ now }: MailroomDeps): PromptDefinition[] {
  const draftCampaign = definePrompt({
    name: 'draft_campaign',
    title: 'Draft a campaign',
    description: 'Drafts an email campaign on a topic for an audience, ready for review: picks the segment and sender, writes the copy, sends a test. Never schedules it.',
    arguments: [
      { name: 'topic', description: 'What the email is about, e.g. "fall hiking collection launch".', required: true },
      { name: 'audience', description: 'Who should get it, e.g. "VIP customers"; a segment is picked or proposed from this.', required: false },
    ],
    handler: (args) => {
      const topic = (args.topic ?? '').trim();
      const audience = args.audience?.trim();
      const who = audience === undefined || audience === '' ? 'the audience that best fits the topic' : `this audience: ${audience}`;
      return {
        description: `Draft a campaign about ${topic}`,
        messages: [
          {
            role: 'user',
            content: text(
              [
                `Draft an email campaign in Mailroom about: ${topic}.`,
                `It is for ${who}.`,
                '',
                'Work like this:',
                '1. Call get_organization to learn the account, then list_campaigns (status sent) and skim one or two past campaigns with get_campaign to match their tone.',
                '2. Call list_segments and choose the segment that matches the audience. If none fits, propose a rule, check it with preview_segment, and ask me before create_segment.',
                '3. Call list_sender_profiles. If there are several, pick the one that suits the topic (newsletter vs. promotions) and say which.',
                '4. Call create_campaign with a name, a subject of at most 60 characters, a preheader, and body_html: a headline, two short paragraphs, one clear call to action link; greet with {{first_name}}.',
                '5. Show me the subject, preheader and text, and offer to send a test with send_test_email to my address.',
                '',
                'Do not call schedule_campaign: scheduling emails real people, and I will decide when.',
                `Mailroom's rules and objects are described in the resource ${GETTING_STARTED_URI}.`,
              ].join('\n'),
            ),
          },
        ],
      };
    },
  });

  const weeklyReport = definePrompt({
    name: 'weekly_report',
    title: 'Weekly email report',
    description: 'A short report on the last 7 complete days of email: performance against the week before, campaigns sent, top links and list growth.',
    handler: () => {
      // The last complete day is yesterday (UTC); reports never include today's partial data.
      const to = addDays(dayOf(now()), -1);
      const from = addDays(to, -6);
      const previousTo = addDays(from, -1);
      const previousFrom = addDays(previousTo, -6);
      return {
        description: `Weekly email report for ${from} to ${to}`,
        messages: [
          {
            role: 'user',
            content: text(
              [
                `Write my weekly email report for ${from} to ${to} (UTC).`,
                '',
                `1. get_account_overview with from=${from} and to=${to}, then again with from=${previousFrom} and to=${previousTo}; compare open, click and unsubscribe rates.`,
                `2. list_campaigns with status sent; for each campaign sent between ${from} and ${to}, call get_campaign_report.`,
                `3. list_top_links with from=${from} and to=${to}.`,
                `4. get_subscriber_growth with from=${from} and to=${to}.`,
                '',
                'Report in under 250 words: a headline number, what changed against the previous week and the likely reason, the best campaign, the top link, and one concrete suggestion.',
                'State the data_as_of time from the results. If a call returns data_unavailable, say so and use the available range it gives.',
              ].join('\n'),
            ),
          },
        ],
      };
    },
  });

  return [draftCampaign, weeklyReport];
}
