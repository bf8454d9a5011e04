import { isToolResult } from '../../tools/tool-result.js';
import type { Stage } from '../stage.js';

/** The `meta` field Gatehouse adds to the output schema of tools that declare `freshness`. */
export const META_OUTPUT_SCHEMA = {
  type: 'object',
  description: 'About the data in this result.',
  properties: { data_as_of: { type: 'string', format: 'date-time', description: 'How fresh the data is: the time of the last sync or read.' } },
} as const;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isToolResult(v);
}

/**
 * Successful data results say how fresh they are, as `meta.data_as_of`
 * (B-POL-09), so an agent can tell stale data from none. Runs after the
 * output check, on plain object results.
 */
export function dataFreshnessStage(now: () => number): Stage {
  return {
    name: 'data-freshness',
    after(call, outcome) {
      if (outcome.kind !== 'value' || !call.ran || !isPlainObject(outcome.value)) return undefined;
      const def = call.tool.definition;
      const reported = call.context.reportedDataAsOf;
      // Without a declared freshness only schema-less tools get `meta`: a declared schema was not told about it.
      const usable = reported !== undefined && (def.freshness !== undefined || def.output === undefined);
      const asOf = usable ? reported : def.freshness === 'live' ? new Date(now()).toISOString() : undefined;
      if (asOf === undefined) return undefined;
      const meta = outcome.value.meta;
      return { kind: 'value', value: { ...outcome.value, meta: { ...(isPlainObject(meta) ? meta : {}), data_as_of: asOf } } };
    },
  };
}
