/** The agent-facing guide served at `mailroom://docs/getting-started`. Written for a model, not a person. */
export const GETTING_STARTED_URI = 'mailroom://docs/getting-started';

export const GETTING_STARTED = `# Mailroom for agents: getting started

Mailroom is an email-marketing product. You act inside one organization (account);
every id you see belongs to it, and ids from other accounts read as not found.

## The objects
- **Subscribers** (\`sub_…\`): people on the list. Status is \`subscribed\`, \`unsubscribed\` or
  \`bounced\`; only subscribed people receive campaigns. Tags group them (\`vip\`, \`hiking\`…).
- **Segments** (\`seg_…\`): saved rules over subscribers (tag, source, email domain, join date),
  evaluated live. Check a rule with \`preview_segment\` before \`create_segment\`.
- **Sender profiles** (\`snd_…\`): the From name and address. Only verified profiles send.
  With several profiles you choose one (\`sender_profile_id\`); with one it is automatic.
- **Campaigns** (\`cmp_…\`): an email to a segment. Lifecycle:
  \`draft\` → \`schedule_campaign\` → \`scheduled\` → (at the time) → \`sent\`.
  \`unschedule_campaign\` turns a scheduled campaign back into a draft.
  Only drafts can be updated or deleted; sent campaigns are final (\`duplicate_campaign\` to reuse one).

## Typical workflows
1. **Orient**: \`get_organization\` for counts, then \`list_campaigns\` or \`list_segments\`.
2. **Draft a campaign**: pick or create a segment → \`create_campaign\` (name, subject, preheader,
   body_html; \`{{first_name}}\` personalises) → \`send_test_email\` to the user →
   ask the user before \`schedule_campaign\` (it emails real people).
3. **Report**: \`get_account_overview\` (window of UTC days, defaults to the last 30),
   \`get_campaign_report\` for a sent campaign, \`list_top_links\`, \`get_subscriber_growth\`.
   Metric results carry \`meta.data_as_of\`: data is complete up to that instant (end of yesterday).

## Errors you can fix yourself
- \`invalid_input\`: \`field\` names the argument to correct.
- \`invalid_state\`: the record's status does not allow the call (e.g. "Only draft campaigns can be
  updated"); read the record, then choose a tool its status allows.
- \`not_found\`: the id does not exist in this account; list first and use an id from the result.
- \`profile_required\`: pass \`sender_profile_id\`, one of the \`profiles\` listed in the error.
- \`data_unavailable\`: widen or move the window inside \`available_from\`…\`available_to\`.

## Care
- Never add people who did not ask for email; prefer \`unsubscribe_subscriber\` to \`delete_subscriber\`.
- Email addresses are personal data: do not repeat them more than the task needs.
`;
