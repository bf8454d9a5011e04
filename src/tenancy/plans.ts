import { z } from 'zod';
import { planLimitsSchema } from './limits.js';

/** One plan a product sells. */
export const planSchema = z.object({
  /** Shown to people: "Growth". */
  title: z.string().min(1),
  /** Whether the plan includes MCP access. */
  mcp: z.boolean(),
  /** Request and cost limits of this plan; each left out takes the product-wide value (`policy.rateLimits`). */
  limits: planLimitsSchema.optional(),
});

/**
 * The product's plans and how MCP access is gated by them (B-PLAN-01..04).
 * Without this option every organization has MCP access.
 */
export const plansSchema = z
  .object({
    /** Plans by name, cheapest first; `required_plan` in errors lists the MCP ones in this order. */
    definitions: z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'plan names are 1–40 lower-case letters, digits, - or _'), planSchema),
    /** The plan of an organization that has none set. */
    defaultPlan: z.string(),
    /**
     * `sign-in` (default): a plan without MCP is refused at consent, at every
     * refresh and on every request. `tools-call`: OAuth completes on every tier
     * and only `tools/call` answers 403 `subscription_required` (B-PLAN-04).
     */
    gate: z.enum(['sign-in', 'tools-call']).default('sign-in'),
    /** Where a user upgrades (`upgrade_url`). Default `<publicUrl>/dashboard/plan`. */
    upgradeUrl: z.url().optional(),
    /** How long a per-request plan check is cached, ms. Changes invalidate it at once. Default 60 000. */
    cacheMs: z.number().int().min(0).max(3_600_000).default(60_000),
  })
  .superRefine((plans, ctx) => {
    if (!(plans.defaultPlan in plans.definitions)) ctx.addIssue({ code: 'custom', path: ['defaultPlan'], message: `is not one of the defined plans (${Object.keys(plans.definitions).join(', ')})` });
    if (!Object.values(plans.definitions).some((p) => p.mcp)) ctx.addIssue({ code: 'custom', path: ['definitions'], message: 'no plan includes MCP, so nobody could connect' });
  });

export type PlansConfig = z.output<typeof plansSchema>;
