import type { Database } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import type { PromptDefinition } from '../../src/tools/define-prompt.js';
import type { ResourceDefinition, ResourceTemplateDefinition } from '../../src/tools/define-resource.js';
import type { ToolDefinition } from '../../src/tools/define-tool.js';
import type { MailroomDeps } from './context.js';
import { mailroomMigrations } from './migrations.js';
import { mailroomPrompts } from './prompts.js';
import { mailroomResources } from './resources.js';
import type { MailroomSchema } from './schema.js';
import { seedMailroom } from './seed.js';
import { campaignSendingTools } from './tools/campaign-sending.js';
import { campaignTools } from './tools/campaigns.js';
import { organizationTools } from './tools/organization.js';
import { reportTools } from './tools/reports.js';
import { segmentTools } from './tools/segments.js';
import { senderProfileTools } from './tools/sender-profiles.js';
import { subscriberTools } from './tools/subscribers.js';

/**
 * Mailroom's plans: Starter is free and has no MCP access, Growth and Scale
 * include it. An organization with no plan set is on Starter.
 */
export const MAILROOM_PLANS = {
  definitions: {
    starter: { title: 'Starter', mcp: false },
    growth: { title: 'Growth', mcp: true },
    scale: { title: 'Scale', mcp: true },
  },
  defaultPlan: 'starter',
} as const;

export interface MailroomOptions {
  /** The clock for seeds, schedules and reports; tests pin it. Defaults to the system clock. */
  readonly now?: () => Date;
  /** Seed the demo organizations when they are missing. Default true. */
  readonly seed?: boolean;
}

export interface Mailroom {
  readonly tools: ToolDefinition[];
  readonly prompts: PromptDefinition[];
  readonly resources: (ResourceDefinition | ResourceTemplateDefinition)[];
}

/**
 * Mailroom, the demo email-marketing product: brings its tables up to date,
 * seeds Acme Outfitters and Globex on first start, and returns the tools,
 * prompts and resources to serve through Gatehouse.
 */
export async function createMailroom(database: Database, options: MailroomOptions = {}): Promise<Mailroom> {
  const now = options.now ?? (() => new Date());
  await migrateToLatest(database.db, mailroomMigrations);
  const db = database.db.withTables<MailroomSchema>();
  if (options.seed ?? true) await seedMailroom(db, { now: now() });
  const deps: MailroomDeps = { db, now };
  return {
    tools: [
      ...organizationTools(deps),
      ...subscriberTools(deps),
      ...segmentTools(deps),
      ...senderProfileTools(deps),
      ...campaignTools(deps),
      ...campaignSendingTools(deps),
      ...reportTools(deps),
    ],
    prompts: mailroomPrompts(deps),
    resources: mailroomResources(deps),
  };
}
