import { z } from 'zod';
import { costUnitsSchema } from '../tenancy/limits.js';

const NAME = /^[a-z][a-z0-9_-]{0,59}$/;
const MINUTE_MS = 60_000;

/** Request and cost limits; the product-wide values, which a plan may override. */
export const rateLimitsSchema = z.object({
  /** MCP requests per credential per minute, answered at the transport with 429 (B-POL-02). Default 120. */
  requestsPerMinute: z.number().int().min(1).max(10_000_000).default(120),
  /** Cost units per organization per period, answered as `rate_limited` tool errors. Default: no cap. */
  costUnits: costUnitsSchema.optional(),
});

/** A product-wide default for each tool policy field (see `ToolPolicy`). */
const toolDefaultsSchema = z.object({
  destructive: z.boolean().default(false),
  idempotent: z.boolean().default(false),
  /** Cost units per call. Default 1. */
  cost: z.number().int().min(0).max(1_000_000).default(1),
  writesTo: z.string().min(1).optional(),
  connector: z.string().regex(NAME).optional(),
  addon: z.string().regex(NAME).optional(),
  pii: z.array(z.string().min(1)).default([]),
  freshness: z.enum(['live', 'reported']).optional(),
});

/** An integration an organization connects (CRM, ads account…). */
const connectorSchema = z.object({
  /** Shown to people and in errors: "HubSpot CRM". */
  title: z.string().min(1),
  /** Where a user connects or re-authorizes it. Default `<publicUrl>/dashboard/settings#connector-<name>`. */
  actionUrl: z.url().optional(),
});

/** A client-side add-on that serves tools over WebSocket (B-POL-07). */
const addonSchema = z.object({
  /** Shown to people and in errors: "Mailroom Desktop". */
  title: z.string().min(1),
  /** How long a routed call may take before it answers `timeout`, ms. Default 15 000. */
  callTimeoutMs: z.number().int().min(100).max(600_000).default(15_000),
  /** Where a user installs or starts the add-on. Default `<publicUrl>/dashboard/settings#addon-<name>`. */
  actionUrl: z.url().optional(),
});

/** The tool policy pipeline's product-wide settings (docs/tool-policy.md). */
export const policyOptionsSchema = z
  .object({
    /** The default of each tool policy field, for tools that leave it out. */
    defaults: toolDefaultsSchema.prefault({}),
    /**
     * How a destructive call is confirmed (B-POL-01).
     * `ask-user` (default): when the client can show the user a form
     * (elicitation), the server asks the user and the `confirm` argument alone
     * is not enough, so a model cannot confirm on the user's behalf; other
     * clients confirm with `confirm: true`. `argument`: always `confirm: true`.
     * `ask-user-only`: clients that cannot ask the user cannot run destructive tools.
     */
    confirmation: z.enum(['ask-user', 'argument', 'ask-user-only']).default('ask-user'),
    /** What tools that write to third parties need besides the organization's setting (B-POL-05). */
    writeback: z
      .object({
        /** Scope a write-back tool needs when it names none. Default `mcp:write`. */
        scope: z.string().min(1).default('mcp:write'),
        /** Least role for write-back tools that name none. Default `admin`. */
        minRole: z.string().min(1).default('admin'),
      })
      .prefault({}),
    /** The scope that, with `include_sensitive` and the organization's PII mode, unmasks PII (B-POL-08). Default `mcp:read_pii`. */
    piiScope: z.string().min(1).default('mcp:read_pii'),
    rateLimits: rateLimitsSchema.prefault({}),
    idempotency: z
      .object({
        /** How long a key and its first result are kept, ms. Default 24 h. */
        ttlMs: z.number().int().min(1000).max(30 * 24 * 3_600_000).default(24 * 3_600_000),
      })
      .prefault({}),
    /** Per organization and tool (or connector) (B-POL-04). */
    circuitBreaker: z
      .object({
        /** Consecutive server-side failures that open the breaker. Default 3. */
        failures: z.number().int().min(1).max(1000).default(3),
        /** The failures must fall within this window, ms. Default 30 minutes. */
        windowMs: z.number().int().min(1000).default(30 * MINUTE_MS),
        /** How long an open breaker refuses calls before one trial call, ms. Default 5 minutes. */
        coolDownMs: z.number().int().min(100).default(5 * MINUTE_MS),
      })
      .prefault({}),
    /** The integrations tools may need, by name. */
    connectors: z.record(z.string().regex(NAME), connectorSchema).default({}),
    /** The client-side add-ons that may serve tools, by name. */
    addons: z.record(z.string().regex(NAME), addonSchema).default({}),
    /** Where write-back and PII settings are changed. Default `<publicUrl>/dashboard/settings`. */
    settingsUrl: z.url().optional(),
  })
  .prefault({});

export type PolicyOptions = z.output<typeof policyOptionsSchema>;
export type RateLimits = z.output<typeof rateLimitsSchema>;
