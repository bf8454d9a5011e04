import type { AuditLog } from '../audit/audit-log.js';
import { MemoryCircuitBreakers } from '../policy/circuit-breakers.js';
import type { IdempotencyStore } from '../policy/idempotency-store.js';
import { policyArgumentsStage } from '../policy/policy-arguments.js';
import type { RateLimits } from '../policy/rate-limits.js';
import type { Stage } from '../policy/stage.js';
import { auditCallStage } from '../policy/stages/audit-call.js';
import { authorizeToolStage } from '../policy/stages/authorize-tool.js';
import { checkOutputStage } from '../policy/stages/check-output.js';
import { circuitBreakerStage } from '../policy/stages/circuit-breaker.js';
import { confirmDestructiveStage } from '../policy/stages/confirm-destructive.js';
import { dataFreshnessStage } from '../policy/stages/data-freshness.js';
import { idempotencyStage } from '../policy/stages/idempotency.js';
import { limitCostStage } from '../policy/stages/limit-cost.js';
import { maskPiiStage } from '../policy/stages/mask-pii.js';
import { requireConnectorStage } from '../policy/stages/require-connector.js';
import { requireWritebackStage } from '../policy/stages/require-writeback.js';
import { resolveProfileStage } from '../policy/stages/resolve-profile.js';
import { resolveTenantStage } from '../policy/stages/resolve-tenant.js';
import { routeToAddonStage, type AddonRouter } from '../policy/stages/route-to-addon.js';
import { validateInputStage } from '../policy/stages/validate-input.js';
import type { ConnectorRegistry } from '../tenancy/connectors.js';
import type { Directory } from '../tenancy/directory.js';
import type { MembershipCache } from '../tenancy/membership-cache.js';
import type { OrganizationSettings } from '../tenancy/organization-settings.js';
import type { PlanGate } from '../tenancy/plan-gate.js';
import type { ToolAccess } from '../tenancy/tool-access.js';
import type { ResolvedServerOptions } from './options.js';

/** Everything the stages read, built once by `createGatehouse`. */
export interface PolicyStageDeps {
  readonly options: ResolvedServerOptions;
  readonly audit: AuditLog;
  readonly clock: () => number;
  readonly memberships: MembershipCache;
  readonly planGate: PlanGate | undefined;
  readonly directory: Directory;
  readonly toolAccess: ToolAccess;
  readonly settings: OrganizationSettings;
  readonly connectors: ConnectorRegistry;
  readonly settingsUrl: string;
  readonly limits: RateLimits;
  readonly idempotency: IdempotencyStore;
  readonly addons: AddonRouter;
}

/**
 * The tool policy pipeline's stages in their fixed order (docs/tool-policy.md):
 * who and where, then what the tool needs, then what the call spends, then
 * the handler; on the way out, output checks, freshness, masking and audit.
 */
export function buildPolicyStages(d: PolicyStageDeps): Stage[] {
  const { options, clock, settingsUrl } = d;
  const policy = options.policy;
  return [
    auditCallStage(d.audit),
    policyArgumentsStage,
    resolveTenantStage({
      ...options.tenancy,
      memberships: (userId) => d.memberships.get(userId),
      admit: (call, organizationId) => d.planGate?.admit(call.context.principal, organizationId, 'tools/call'),
    }),
    resolveProfileStage((organizationId) => d.directory.listProfiles(organizationId)),
    authorizeToolStage(d.toolAccess),
    validateInputStage,
    requireWritebackStage((organizationId) => d.settings.get(organizationId), `${settingsUrl}#writeback`),
    requireConnectorStage(
      (organizationId, name) => d.connectors.state(organizationId, name),
      Object.fromEntries(Object.entries(policy.connectors).map(([name, c]) => [name, { title: c.title, actionUrl: c.actionUrl ?? `${settingsUrl}#connector-${name}` }])),
    ),
    routeToAddonStage(d.addons),
    confirmDestructiveStage(policy.confirmation),
    idempotencyStage(d.idempotency, { waitMs: options.limits.toolTimeoutMs + 5_000 }),
    limitCostStage(d.limits),
    circuitBreakerStage(new MemoryCircuitBreakers(policy.circuitBreaker, clock)),
    maskPiiStage({ scope: policy.piiScope, holds: (p, role, scope) => d.toolAccess.holds(p, role, scope), settings: (organizationId) => d.settings.get(organizationId) }),
    dataFreshnessStage(clock),
    checkOutputStage,
  ];
}
