import { z } from 'zod';
import { fail } from '../../../src/errors/gatehouse-error.js';
import { defineTool, type ToolDefinition } from '../../../src/tools/define-tool.js';
import { containsText, isUniqueViolation, newId, requireOrg, type MailroomDeps } from '../context.js';
import { emailField, personName, subscriberId } from '../fields.js';
import { decodeCursor, pageFields, toPage } from '../pagination.js';
import { findSubscriberRow, loadSubscriber, loadTags, pageShape, subscriberShape, toSubscriber } from '../records.js';
import { SUBSCRIBER_SOURCES, SUBSCRIBER_STATUSES } from '../schema.js';
import { tagSchema } from '../segment-rule.js';

type Db = MailroomDeps['db'];

/** Refuses an address another subscriber of the organization already has, naming that subscriber. */
async function assertEmailFree(db: Db, orgId: string, email: string, exceptId?: string): Promise<void> {
  const existing = await db
    .selectFrom('mailroom_subscribers')
    .select(['id', 'status'])
    .where('org_id', '=', orgId)
    .where('email', '=', email)
    .executeTakeFirst();
  if (existing === undefined || existing.id === exceptId) return;
  throw fail('invalid_state', `A subscriber with this email already exists (${existing.id}, status ${existing.status}); use update_subscriber to change it`, {
    resource: 'subscriber',
    id: existing.id,
    status: existing.status,
    field: 'email',
  });
}

function duplicateEmail(email: string) {
  return fail('invalid_state', `A subscriber with the email ${email} was just added by another request`, { resource: 'subscriber', field: 'email' });
}

export function subscriberTools({ db, now }: MailroomDeps): ToolDefinition[] {
  const listSubscribers = defineTool({
    name: 'list_subscribers',
    scope: 'mcp:read',
    title: 'List subscribers',
    description:
      'Lists the subscribers of the mailing list, newest first, with their tags. Filter by free-text search (email or name), status or tag. ' +
      'Returns a page of items, the total matching count, and next_cursor to fetch the next page.',
    input: z.object({
      search: z.string().trim().min(1).max(200).optional().describe('Case-insensitive text to find in the email address or name.'),
      status: z.enum(SUBSCRIBER_STATUSES, { error: `status must be one of: ${SUBSCRIBER_STATUSES.join(', ')}` }).optional().describe('Only subscribers with this status.'),
      tag: tagSchema.optional().describe('Only subscribers carrying this tag.'),
      ...pageFields,
    }),
    output: pageShape(subscriberShape),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    pii: ['items[].email', 'items[].first_name', 'items[].last_name'],
    handler: async (input, ctx) => {
      const orgId = requireOrg(ctx);
      const position = decodeCursor(input.cursor);
      let query = db.selectFrom('mailroom_subscribers').where('org_id', '=', orgId);
      if (input.status !== undefined) query = query.where('status', '=', input.status);
      if (input.tag !== undefined) {
        const tag = input.tag;
        query = query.where('id', 'in', (eb) => eb.selectFrom('mailroom_subscriber_tags').select('subscriber_id').where('org_id', '=', orgId).where('tag', '=', tag));
      }
      if (input.search !== undefined) {
        // Every word must appear somewhere, so "jane doe" finds Jane Doe without string concatenation in SQL.
        const words = input.search.split(/\s+/);
        query = query.where((eb) => eb.and(words.map((w) => eb.or([containsText('email', w), containsText('first_name', w), containsText('last_name', w)]))));
      }
      const count = await query.select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
      let rowsQuery = query.selectAll();
      if (position !== undefined) {
        rowsQuery = rowsQuery.where((eb) =>
          eb.or([eb('created_at', '<', position.createdAt), eb.and([eb('created_at', '=', position.createdAt), eb('id', '<', position.id)])]),
        );
      }
      const rows = await rowsQuery.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(input.limit + 1).execute();
      const page = toPage(rows, input.limit);
      const tags = await loadTags(db, orgId, page.rows.map((r) => r.id));
      return { items: page.rows.map((r) => toSubscriber(r, tags.get(r.id) ?? [])), next_cursor: page.nextCursor, total: Number(count.n) };
    },
  });

  const getSubscriber = defineTool({
    name: 'get_subscriber',
    scope: 'mcp:read',
    title: 'Get a subscriber',
    description: 'Returns one subscriber: email, name, status (subscribed, unsubscribed or bounced), tags, source and dates.',
    input: z.object({ subscriber_id: subscriberId() }),
    output: subscriberShape,
    pii: ['email', 'first_name', 'last_name'],
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    handler: async (input, ctx) => loadSubscriber(db, requireOrg(ctx), input.subscriber_id),
  });

  const addSubscriber = defineTool({
    name: 'add_subscriber',
    scope: 'mcp:write',
    title: 'Add a subscriber',
    description:
      'Adds one person to the mailing list as subscribed. Only add people who asked to receive email. ' +
      'Fails with invalid_state if the address is already on the list (the error names the existing subscriber).',
    input: z.object({
      email: emailField().describe('Email address; stored lower-cased.'),
      first_name: personName('first').optional().describe('First name, used in greetings.'),
      last_name: personName('last').optional().describe('Last name.'),
      tags: z.array(tagSchema).max(20, { error: 'At most 20 tags' }).default([]).describe('Tags to attach, e.g. ["vip"].'),
      source: z.enum(SUBSCRIBER_SOURCES, { error: `source must be one of: ${SUBSCRIBER_SOURCES.join(', ')}` }).default('api').describe('How the person joined; defaults to api.'),
    }),
    output: subscriberShape,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    handler: async (input, ctx) => {
      const orgId = requireOrg(ctx);
      await assertEmailFree(db, orgId, input.email);
      const id = newId('sub');
      const at = now().toISOString();
      const tags = [...new Set(input.tags)];
      try {
        await db.transaction().execute(async (trx) => {
          await trx
            .insertInto('mailroom_subscribers')
            .values({ id, org_id: orgId, email: input.email, first_name: input.first_name ?? null, last_name: input.last_name ?? null, status: 'subscribed', source: input.source, created_at: at, updated_at: at, unsubscribed_at: null })
            .execute();
          if (tags.length > 0) await trx.insertInto('mailroom_subscriber_tags').values(tags.map((tag) => ({ org_id: orgId, subscriber_id: id, tag }))).execute();
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw duplicateEmail(input.email);
        throw error;
      }
      return loadSubscriber(db, orgId, id);
    },
  });

  const updateSubscriber = defineTool({
    name: 'update_subscriber',
    scope: 'mcp:write',
    title: 'Update a subscriber',
    description: 'Changes a subscriber\'s email address or name. Pass only the fields to change; pass null to clear a name. Status changes use unsubscribe_subscriber; tags use tag_subscribers.',
    input: z.object({
      subscriber_id: subscriberId(),
      email: emailField().optional().describe('New email address.'),
      first_name: personName('first').nullable().optional().describe('New first name, or null to clear it.'),
      last_name: personName('last').nullable().optional().describe('New last name, or null to clear it.'),
    }),
    output: subscriberShape,
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    handler: async (input, ctx) => {
      const orgId = requireOrg(ctx);
      await findSubscriberRow(db, orgId, input.subscriber_id);
      if (input.email !== undefined) await assertEmailFree(db, orgId, input.email, input.subscriber_id);
      const changes = {
        ...(input.email === undefined ? {} : { email: input.email }),
        ...(input.first_name === undefined ? {} : { first_name: input.first_name }),
        ...(input.last_name === undefined ? {} : { last_name: input.last_name }),
      };
      if (Object.keys(changes).length > 0) {
        try {
          await db.updateTable('mailroom_subscribers').set({ ...changes, updated_at: now().toISOString() }).where('org_id', '=', orgId).where('id', '=', input.subscriber_id).execute();
        } catch (error) {
          if (isUniqueViolation(error) && input.email !== undefined) throw duplicateEmail(input.email);
          throw error;
        }
      }
      return loadSubscriber(db, orgId, input.subscriber_id);
    },
  });

  const unsubscribeSubscriber = defineTool({
    name: 'unsubscribe_subscriber',
    scope: 'mcp:write',
    title: 'Unsubscribe a subscriber',
    description:
      'Stops all campaign email to a subscriber, keeping the record and its history (prefer this to delete_subscriber). ' +
      'Unsubscribing someone already unsubscribed changes nothing. A bounced address cannot be unsubscribed: it already receives nothing.',
    input: z.object({ subscriber_id: subscriberId() }),
    output: subscriberShape.extend({ changed: z.boolean().describe('false when the subscriber was already unsubscribed.') }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    handler: async (input, ctx) => {
      const orgId = requireOrg(ctx);
      const row = await findSubscriberRow(db, orgId, input.subscriber_id);
      if (row.status === 'bounced') {
        throw fail('invalid_state', 'Only subscribed subscribers can be unsubscribed; this address bounced and already receives no email', {
          resource: 'subscriber',
          status: row.status,
          allowed_status: ['subscribed'],
        });
      }
      const changed = row.status === 'subscribed';
      if (changed) {
        const at = now().toISOString();
        await db.updateTable('mailroom_subscribers').set({ status: 'unsubscribed', unsubscribed_at: at, updated_at: at }).where('org_id', '=', orgId).where('id', '=', row.id).execute();
      }
      return { ...(await loadSubscriber(db, orgId, row.id)), changed };
    },
  });

  const deleteSubscriber = defineTool({
    name: 'delete_subscriber',
    scope: 'mcp:write',
    title: 'Delete a subscriber',
    description:
      'Permanently deletes a subscriber and their tags (for example on a data-erasure request). This cannot be undone, and the address could be re-added later; ' +
      'to stop email, use unsubscribe_subscriber instead.',
    input: z.object({ subscriber_id: subscriberId() }),
    output: z.object({ id: z.string(), deleted: z.literal(true) }),
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: false, openWorldHint: false },
    destructive: { summary: (input) => `Permanently delete subscriber ${String(input.subscriber_id)} and their tags. This cannot be undone.` },
    handler: async (input, ctx) => {
      const orgId = requireOrg(ctx);
      await findSubscriberRow(db, orgId, input.subscriber_id);
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('mailroom_subscriber_tags').where('org_id', '=', orgId).where('subscriber_id', '=', input.subscriber_id).execute();
        await trx.deleteFrom('mailroom_subscribers').where('org_id', '=', orgId).where('id', '=', input.subscriber_id).execute();
      });
      return { id: input.subscriber_id, deleted: true as const };
    },
  });

  const tagSubscribers = defineTool({
    name: 'tag_subscribers',
    scope: 'mcp:write',
    title: 'Add or remove tags',
    description: 'Adds and/or removes tags on up to 100 subscribers at once. All ids must exist, or nothing changes. Returns the updated subscribers.',
    input: z.object({
      subscriber_ids: z.array(subscriberId()).min(1, { error: 'subscriber_ids needs at least one id' }).max(100, { error: 'At most 100 subscriber_ids per call' }).describe('Subscribers to change.'),
      add: z.array(tagSchema).max(20).default([]).describe('Tags to add (already present tags are kept).'),
      remove: z.array(tagSchema).max(20).default([]).describe('Tags to remove (absent tags are ignored).'),
    }),
    output: z.object({ items: z.array(subscriberShape) }),
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    handler: async (input, ctx) => {
      const orgId = requireOrg(ctx);
      if (input.add.length === 0 && input.remove.length === 0) throw fail('invalid_input', 'Pass at least one tag in add or remove', { field: 'add' });
      const ids = [...new Set(input.subscriber_ids)];
      const found = await db.selectFrom('mailroom_subscribers').select('id').where('org_id', '=', orgId).where('id', 'in', ids).execute();
      const known = new Set(found.map((r) => r.id));
      const missing = ids.find((id) => !known.has(id));
      if (missing !== undefined) await findSubscriberRow(db, orgId, missing);
      const add = [...new Set(input.add)];
      const remove = [...new Set(input.remove)];
      await db.transaction().execute(async (trx) => {
        if (remove.length > 0) await trx.deleteFrom('mailroom_subscriber_tags').where('org_id', '=', orgId).where('subscriber_id', 'in', ids).where('tag', 'in', remove).execute();
        if (add.length > 0) {
          const rows = ids.flatMap((subscriber_id) => add.map((tag) => ({ org_id: orgId, subscriber_id, tag })));
          await trx.insertInto('mailroom_subscriber_tags').values(rows).onConflict((oc) => oc.columns(['subscriber_id', 'tag']).doNothing()).execute();
        }
        await trx.updateTable('mailroom_subscribers').set({ updated_at: now().toISOString() }).where('org_id', '=', orgId).where('id', 'in', ids).execute();
      });
      const rows = await db.selectFrom('mailroom_subscribers').selectAll().where('org_id', '=', orgId).where('id', 'in', ids).orderBy('created_at', 'desc').execute();
      const tags = await loadTags(db, orgId, ids);
      return { items: rows.map((r) => toSubscriber(r, tags.get(r.id) ?? [])) };
    },
  });

  return [listSubscribers, getSubscriber, addSubscriber, updateSubscriber, unsubscribeSubscriber, deleteSubscriber, tagSubscribers];
}
