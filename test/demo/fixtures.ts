/** A seeded Mailroom on an in-memory SQLite database, and helpers to aim tests at its data. */
import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import type { ErrorCode } from '../../src/errors/catalog.js';
import { GatehouseError } from '../../src/errors/gatehouse-error.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import type { ToolDefinition } from '../../src/tools/define-tool.js';
import { createMailroom, type Mailroom } from '../../examples/demo/mailroom.js';
import type { MailroomSchema } from '../../examples/demo/schema.js';
import { createGatehouse, createLogger, type Gatehouse } from '../../src/index.js';
import { callTool, DEMO_AUTH, type ToolOutput } from './harness.js';

/** The pinned clock of every demo test: seeds, schedules and reports are relative to it. */
export const NOW = new Date('2025-11-20T15:30:00.000Z');
export const ACME = 'org_acme';
export const GLOBEX = 'org_globex';

export interface Demo {
  readonly database: Database;
  readonly db: Kysely<MailroomSchema>;
  readonly mailroom: Mailroom;
  /** Gatehouse serving the Mailroom tools, in process. */
  readonly gatehouse: Gatehouse;
  tool(name: string): ToolDefinition;
  /** Calls a tool as a member of `orgId` (Acme by default). */
  call(name: string, args?: unknown, orgId?: string | null): Promise<ToolOutput>;
}

export async function openDemo(now: Date = NOW): Promise<Demo> {
  const database = openDatabase({ kind: 'sqlite', file: ':memory:' });
  const mailroom = await createMailroom(database, { now: () => now });
  const tool = (name: string): ToolDefinition => {
    const found = mailroom.tools.find((t) => t.name === name);
    if (found === undefined) throw new Error(`no tool ${name}`);
    return found;
  };
  const gatehouse = await createGatehouse({
    name: 'mailroom',
    version: '1.0.0',
    auth: DEMO_AUTH,
    store: { kind: 'sqlite', file: ':memory:' },
    logger: createLogger({ level: 'silent' }),
    ...mailroom,
  });
  // The tests read as a privileged client: organizations that allow unmasked PII, and calls that ask for it
  // (masking itself is proven in subscribers.test.ts and test/policy).
  for (const [id, slug] of [[ACME, 'acme'], [GLOBEX, 'globex']] as const) {
    await gatehouse.auth.directory.createOrganization({ id, slug, name: slug });
    // …and that connected the CRM and turned write-back on, so every tool can run.
    await gatehouse.settings.set(id, { piiMode: 'full_default', writeback: true });
    await gatehouse.connectors.connect(id, 'crm');
  }
  const withPii = new Set(mailroom.tools.filter((t) => (t.pii ?? []).length > 0).map((t) => t.name));
  return {
    database,
    db: database.db.withTables<MailroomSchema>(),
    mailroom,
    gatehouse,
    tool,
    call: (name, args = {}, orgId = ACME) =>
      callTool(gatehouse, name, withPii.has(name) && typeof args === 'object' && args !== null && !('include_sensitive' in args) ? { include_sensitive: true, ...args } : args, orgId),
  };
}

/** Awaits a call that must fail with `code`, and returns the error for further checks. */
export async function expectError(promise: Promise<unknown>, code: ErrorCode): Promise<GatehouseError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error, `expected a ${code} error`).toBeInstanceOf(GatehouseError);
  expect((error as GatehouseError).code).toBe(code);
  return error as GatehouseError;
}

/** Ids of seeded records of one organization; campaigns have a segment and a body, so they can be scheduled. */
export async function seededIds(db: Kysely<MailroomSchema>, orgId: string) {
  const campaign = async (status: 'draft' | 'scheduled' | 'sent') =>
    (
      await db
        .selectFrom('mailroom_campaigns')
        .select('id')
        .where('org_id', '=', orgId)
        .where('status', '=', status)
        .where('segment_id', 'is not', null)
        .where('body_html', 'is not', null)
        .orderBy('created_at')
        .executeTakeFirstOrThrow()
    ).id;
  const senderProfile = await db.selectFrom('mailroom_sender_profiles').select('id').where('org_id', '=', orgId).orderBy('created_at').orderBy('id').executeTakeFirstOrThrow();
  // A segment no scheduled campaign targets, so deleting it is allowed.
  const segment = await db
    .selectFrom('mailroom_segments')
    .select('id')
    .where('org_id', '=', orgId)
    .where('id', 'not in', (eb) => eb.selectFrom('mailroom_campaigns').select('segment_id').where('status', '=', 'scheduled').where('segment_id', 'is not', null).$narrowType<{ segment_id: string }>())
    .orderBy('created_at')
    .orderBy('id')
    .executeTakeFirstOrThrow();
  const subscriber = await db.selectFrom('mailroom_subscribers').select('id').where('org_id', '=', orgId).where('status', '=', 'subscribed').orderBy('id').executeTakeFirstOrThrow();
  return {
    subscriber: subscriber.id,
    segment: segment.id,
    senderProfile: senderProfile.id,
    draft: await campaign('draft'),
    scheduled: await campaign('scheduled'),
    sent: await campaign('sent'),
  };
}
