import type { RateLimits } from '../rate-limits.js';
import type { Stage } from '../stage.js';

/** Each call uses its tool's cost units from the organization's per-period allowance (B-POL-02). */
export function limitCostStage(limits: RateLimits): Stage {
  return {
    name: 'limit-cost',
    before(call) {
      const org = call.context.organization;
      if (org === null) return undefined;
      // Product tools always have a cost (the default applies at start-up); Gatehouse's built-in tools cost nothing.
      return limits.cost(org.id, call.tool.definition.cost ?? 0);
    },
  };
}
