import { z } from 'zod';
import { defineTool, type ToolDefinition } from '../../../src/tools/define-tool.js';
import { newId, requireOrg, type MailroomDeps } from '../context.js';
import { emailField, requiredText } from '../fields.js';
import { senderProfileShape, toSenderProfile } from '../records.js';

function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1);
}

export function senderProfileTools({ db, now }: MailroomDeps): ToolDefinition[] {
  const listSenderProfiles = defineTool({
    name: 'list_sender_profiles',
    scope: 'mcp:read',
    title: 'List sender profiles',
    description:
      'Lists the sender profiles (From name, From address, Reply-To) campaigns can be sent from. Only verified profiles can send. ' +
      'When there are several, pick one for each campaign (sender_profile_id); when there is exactly one it is used automatically.',
    input: z.object({}),
    output: z.object({ items: z.array(senderProfileShape), next_cursor: z.null(), total: z.number().int() }),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    handler: async (_input, ctx) => {
      const orgId = requireOrg(ctx);
      // An account has a handful of profiles, so one page always holds them all.
      const rows = await db.selectFrom('mailroom_sender_profiles').selectAll().where('org_id', '=', orgId).orderBy('created_at').orderBy('id').execute();
      return { items: rows.map(toSenderProfile), next_cursor: null, total: rows.length };
    },
  });

  const createSenderProfile = defineTool({
    name: 'create_sender_profile',
    scope: 'mcp:write',
    title: 'Create a sender profile',
    description:
      'Adds a sender profile. It is verified at once when its From address is on a domain the account already verified; ' +
      'otherwise it stays unverified (a person must verify the domain in the Mailroom dashboard) and cannot send yet.',
    input: z.object({
      name: requiredText('name', 200).describe('Internal label, e.g. "Store events".'),
      from_name: requiredText('from_name', 200).describe('Name recipients see, e.g. "Acme Outfitters".'),
      from_email: emailField().describe('From address; its domain decides verification.'),
      reply_to: emailField().optional().describe('Where replies go; defaults to the From address.'),
    }),
    output: senderProfileShape,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    handler: async (input, ctx) => {
      const orgId = requireOrg(ctx);
      const verifiedDomains = new Set(
        (await db.selectFrom('mailroom_sender_profiles').select('from_email').where('org_id', '=', orgId).where('verified', '=', 1).execute()).map((r) => domainOf(r.from_email)),
      );
      const row = {
        id: newId('snd'),
        org_id: orgId,
        name: input.name,
        from_name: input.from_name,
        from_email: input.from_email,
        reply_to: input.reply_to ?? null,
        verified: verifiedDomains.has(domainOf(input.from_email)) ? 1 : 0,
        created_at: now().toISOString(),
      };
      await db.insertInto('mailroom_sender_profiles').values(row).execute();
      return toSenderProfile(row);
    },
  });

  return [listSenderProfiles, createSenderProfile];
}
