import { ConfigurationError } from '../errors/configuration-error.js';
import type { ToolDefinition } from '../tools/define-tool.js';
import type { PolicyOptions } from './policy-options.js';

const PII_PATH = /^[A-Za-z0-9_$-]+(\[\])?(\.[A-Za-z0-9_$-]+(\[\])?)*$/;

/**
 * A product tool with every policy field decided: its own value, else the
 * product's default. Write-back tools also get the write-back scope and role
 * when they name none, so the `authorize` stage and `tools/list` gate them.
 * Checked here, at start-up: a connector or add-on nobody declared is a
 * configuration error, not a call that fails later.
 */
export function applyPolicyDefaults(def: ToolDefinition, policy: PolicyOptions, index: number): ToolDefinition {
  const d = policy.defaults;
  const path = `tools[${index}] (${def.name})`;
  const writesTo = def.writesTo ?? d.writesTo;
  const out: ToolDefinition = {
    ...def,
    destructive: def.destructive ?? d.destructive,
    idempotent: def.idempotent ?? d.idempotent,
    cost: def.cost ?? d.cost,
    pii: def.pii ?? d.pii,
    ...(writesTo === undefined ? {} : { writesTo, scope: def.scope ?? policy.writeback.scope, minRole: def.minRole ?? policy.writeback.minRole }),
    ...((def.connector ?? d.connector) === undefined ? {} : { connector: def.connector ?? d.connector }),
    ...((def.addon ?? d.addon) === undefined ? {} : { addon: def.addon ?? d.addon }),
    ...((def.freshness ?? d.freshness) === undefined ? {} : { freshness: def.freshness ?? d.freshness }),
  };
  if (!Number.isInteger(out.cost) || (out.cost ?? 0) < 0) throw new ConfigurationError('cost must be a whole number of units, 0 or more', path);
  if (out.connector !== undefined && !(out.connector in policy.connectors)) {
    throw new ConfigurationError(`connector ${out.connector} is not declared in policy.connectors (${Object.keys(policy.connectors).join(', ') || 'none'})`, path);
  }
  if (out.addon !== undefined && !(out.addon in policy.addons)) {
    throw new ConfigurationError(`addon ${out.addon} is not declared in policy.addons (${Object.keys(policy.addons).join(', ') || 'none'})`, path);
  }
  for (const p of out.pii ?? []) {
    if (!PII_PATH.test(p)) throw new ConfigurationError(`pii path ${p} must look like email, contact.phone or subscribers[].email`, path);
  }
  if (typeof out.destructive === 'object' && typeof out.destructive.summary !== 'function') throw new ConfigurationError('destructive.summary must be a function of the input', path);
  return out;
}
