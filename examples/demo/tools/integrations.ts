import { z } from 'zod';
import { fail } from '../../../src/errors/gatehouse-error.js';
import { defineTool, type ToolDefinition } from '../../../src/tools/define-tool.js';
import { newId, requireOrg, type MailroomDeps } from '../context.js';
import { dayField } from '../fields.js';

/**
 * The demo CRM's contacts. Mailroom has no real CRM to call: the connector's
 * state (connected, expired, missing) is real and enforced by Gatehouse; what
 * the CRM returns is this fixed list.
 */
const CRM_CONTACTS = [
  { email: 'dana.whitfield@example.com', first_name: 'Dana', last_name: 'Whitfield' },
  { email: 'omar.haddad@example.com', first_name: 'Omar', last_name: 'Haddad' },
  { email: 'lena.kowalski@example.org', first_name: 'Lena', last_name: 'Kowalski' },
  { email: 'raj.patel@example.com', first_name: 'Raj', last_name: 'Patel' },
  { email: 'sofia.marin@example.org', first_name: 'Sofia', last_name: 'Marin' },
] as const;

/** Tools that reach third parties: the CRM connector (B-POL-06) and conversion write-back (B-POL-05). */
export function integrationTools({ db, now, crmOutage }: MailroomDeps): ToolDefinition[] {
  const syncCrmContacts = defineTool({
    name: 'sync_crm_contacts',
    scope: 'mcp:write',
    title: 'Import contacts from the CRM',
    description:
      'Imports contacts from the organization’s connected CRM as subscribers (source "import"); addresses already on the list are skipped. ' +
      'Needs the CRM connected in Settings → Integrations.',
    input: z.object({ limit: z.number().int().min(1).max(50).default(50).describe('At most this many contacts.') }),
    output: z.object({ imported: z.number().int(), skipped: z.number().int() }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: true },
    connector: 'crm',
    cost: 5,
    handler: async (input, ctx) => {
      const orgId = requireOrg(ctx);
      // A failure of the CRM is a server-side failure: Gatehouse answers internal_error and counts it towards the breaker.
      if (crmOutage()) throw new Error('the CRM answered 503 Service Unavailable');
      const at = now().toISOString();
      let imported = 0;
      for (const contact of CRM_CONTACTS.slice(0, input.limit)) {
        const result = await db
          .insertInto('mailroom_subscribers')
          .values({ id: newId('sub'), org_id: orgId, ...contact, status: 'subscribed', source: 'import', created_at: at, updated_at: at, unsubscribed_at: null })
          .onConflict((oc) => oc.columns(['org_id', 'email']).doNothing())
          .executeTakeFirst();
        imported += Number(result.numInsertedOrUpdatedRows ?? 0);
      }
      return { imported, skipped: Math.min(input.limit, CRM_CONTACTS.length) - imported };
    },
  });

  const pushConversions = defineTool({
    name: 'push_conversions',
    scope: 'mcp:write',
    title: 'Send click conversions to Meta',
    description:
      'Sends the account’s email clicks of a window of UTC days to the Meta Conversions API as conversion events. ' +
      'Needs an admin, the mcp:write scope, and MCP write-back turned on in Settings → Privacy & MCP.',
    input: z.object({ from: dayField('from').describe('First UTC day, YYYY-MM-DD.'), to: dayField('to').describe('Last UTC day, YYYY-MM-DD.') }),
    output: z.object({ destination: z.string(), events: z.number().int(), window: z.object({ from: z.string(), to: z.string() }) }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: true },
    writesTo: 'Meta Conversions API',
    cost: 3,
    handler: async (input, ctx) => {
      const orgId = requireOrg(ctx);
      if (input.from > input.to) throw fail('invalid_input', 'from must not be after to', { field: 'from' });
      const row = await db
        .selectFrom('mailroom_daily_stats')
        .select((eb) => [eb.fn.sum<number>('clicks').as('clicks'), eb.fn.countAll<number>().as('days')])
        .where('org_id', '=', orgId)
        .where('day', '>=', input.from)
        .where('day', '<=', input.to)
        .executeTakeFirstOrThrow();
      if (Number(row.days) === 0) throw fail('data_unavailable', `No email activity was recorded between ${input.from} and ${input.to}`, {});
      // The demo makes no network call: what would be sent is logged (a count, no personal data) and reported.
      ctx.logger.info({ events: Number(row.clicks) }, 'conversions pushed');
      return { destination: 'Meta Conversions API', events: Number(row.clicks), window: { from: input.from, to: input.to } };
    },
  });

  return [syncCrmContacts, pushConversions];
}
