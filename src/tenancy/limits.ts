import { z } from 'zod';

/** A per-period allowance of cost units. */
export const costUnitsSchema = z.object({
  /** Units an organization may use per period. */
  points: z.number().int().min(1),
  /** Length of the period, seconds. */
  periodSec: z.number().int().min(1).max(31 * 24 * 3600),
});

/** Request and cost limits a plan sets instead of the product-wide ones (B-POL-02). */
export const planLimitsSchema = z.object({
  /** MCP requests per credential per minute. */
  requestsPerMinute: z.number().int().min(1).max(10_000_000).optional(),
  /** Cost units per organization per period. */
  costUnits: costUnitsSchema.optional(),
});

export type CostUnits = z.output<typeof costUnitsSchema>;
export type PlanLimits = z.output<typeof planLimitsSchema>;
