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
import { DESKTOP_ADDON, devicePreviewTools } from './tools/device-preview.js';
import { integrationTools } from './tools/integrations.js';
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
    growth: { title: 'Growth', mcp: true, limits: { requestsPerMinute: 120, costUnits: { points: 200, periodSec: 3600 } } },
    scale: { title: 'Scale', mcp: true, limits: { requestsPerMinute: 600, costUnits: { points: 2000, periodSec: 3600 } } },
  },
  defaultPlan: 'starter',
} as const;

/** The integrations Mailroom's tools need (B-POL-06), for `policy.connectors`. */
export const MAILROOM_CONNECTORS = {
  crm: { title: 'HubSpot CRM' },
} as const;

/** Mailroom's client-side add-on, for `policy.addons` when the add-on's tools are served (`addons: true`). */
export const MAILROOM_ADDONS = {
  [DESKTOP_ADDON]: { title: 'Mailroom Desktop' },
} as const;

export interface MailroomOptions {
  /** The clock for seeds, schedules and reports; tests pin it. Defaults to the system clock. */
  readonly now?: () => Date;
  /** Seed the demo organizations when they are missing. Default true. */
  readonly seed?: boolean;
  /**
   * Also serve the tools of the Mailroom Desktop add-on (`preview_on_device`,
   * B-POL-07); the server must then declare `MAILROOM_ADDONS` in `policy.addons`. Default false.
   */
  readonly addons?: boolean;
  /**
   * Whether the demo CRM is down, so `sync_crm_contacts` fails server-side and
   * its circuit breaker opens (B-POL-04). Default: the environment variable
   * `MAILROOM_CRM_OUTAGE=1`.
   */
  readonly crmOutage?: () => boolean;
}

export interface Mailroom {
  readonly tools: ToolDefinition[];
  readonly prompts: PromptDefinition[];
  readonly resources: (ResourceDefinition | ResourceTemplateDefinition)[];
  /** The connectors (and, with `addons: true`, the add-on) its tools need: pass to Gatehouse as `policy`. */
  readonly policy: { readonly connectors: typeof MAILROOM_CONNECTORS; readonly addons: Partial<typeof MAILROOM_ADDONS> };
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
  const deps: MailroomDeps = { db, now, crmOutage: options.crmOutage ?? (() => process.env.MAILROOM_CRM_OUTAGE === '1') };
  return {
    tools: [
      ...organizationTools(deps),
      ...subscriberTools(deps),
      ...segmentTools(deps),
      ...senderProfileTools(deps),
      ...campaignTools(deps),
      ...campaignSendingTools(deps),
      ...reportTools(deps),
      ...integrationTools(deps),
      ...(options.addons === true ? devicePreviewTools() : []),
    ],
    prompts: mailroomPrompts(deps),
    resources: mailroomResources(deps),
    policy: { connectors: MAILROOM_CONNECTORS, addons: options.addons === true ? MAILROOM_ADDONS : {} },
  };
}
