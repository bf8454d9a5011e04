import type { Principal } from '../auth/principal.js';
import { GatehouseError } from '../errors/gatehouse-error.js';
import type { ChangeNotices } from '../store/change-notices.js';
import type { Directory } from './directory.js';
import type { PlanLimits } from './limits.js';
import type { PlansConfig } from './plans.js';

/** An organization's plan as the gate sees it. */
export interface PlanStatus {
  readonly plan: string;
  readonly title: string;
  readonly mcp: boolean;
  /** When the plan last changed, epoch ms; `null` if never. */
  readonly changedAt: number | null;
  /** The plan's own request and cost limits, if it sets any. */
  readonly limits: PlanLimits | undefined;
}

type Phase = 'consent' | 'refresh';

/**
 * MCP access by plan (B-PLAN-01..04). The per-request answer is cached per
 * organization for `cacheMs` and dropped at once when a plan-change notice
 * arrives, so a cached organization is answered synchronously on the hot path.
 */
export class PlanGate {
  readonly #cache = new Map<string, { status: PlanStatus | undefined; until: number }>();
  readonly #requiredPlan: string[];

  constructor(
    private readonly directory: Directory,
    private readonly config: PlansConfig,
    private readonly upgradeUrl: string,
    notices?: ChangeNotices,
    private readonly now: () => number = Date.now,
  ) {
    this.#requiredPlan = Object.entries(config.definitions)
      .filter(([, p]) => p.mcp)
      .map(([name]) => name);
    notices?.subscribe('plan', (organizationId) => this.#cache.delete(organizationId));
  }

  /** The organization's plan, read fresh from the store. */
  async read(organizationId: string): Promise<PlanStatus | undefined> {
    const org = await this.directory.getOrganization(organizationId);
    if (org === undefined) return undefined;
    const name = org.plan !== null && org.plan in this.config.definitions ? org.plan : this.config.defaultPlan;
    const plan = this.config.definitions[name];
    return plan === undefined ? undefined : { plan: name, title: plan.title, mcp: plan.mcp, changedAt: org.plan_changed_at, limits: plan.limits };
  }

  /** The cached plan; synchronous while the entry is fresh. */
  status(organizationId: string): PlanStatus | undefined | Promise<PlanStatus | undefined> {
    const hit = this.#cache.get(organizationId);
    if (hit !== undefined && hit.until > this.now()) return hit.status;
    return this.read(organizationId).then((status) => {
      this.#cache.set(organizationId, { status, until: this.now() + this.config.cacheMs });
      return status;
    });
  }

  /** At consent and at every refresh (the authorization server's access check). */
  async check(organizationId: string, phase: Phase): Promise<GatehouseError | undefined> {
    if (this.config.gate === 'tools-call') return undefined;
    const status = await this.read(organizationId);
    if (status === undefined || status.mcp) return undefined;
    // A refresh of a grant made on an MCP plan means the plan went down since.
    return this.#error(phase === 'consent' ? 'plan_required' : 'plan_downgraded', status);
  }

  /**
   * Per request, for the organization a call acts in. Under the `sign-in` gate
   * an access token issued before a downgrade keeps working until it expires
   * (B-PLAN-03); its refresh is what fails. API keys never expire, so they
   * feel a downgrade on the next request.
   */
  admit(principal: Principal, organizationId: string, method: string): GatehouseError | undefined | Promise<GatehouseError | undefined> {
    if (this.config.gate === 'tools-call' && method !== 'tools/call') return undefined;
    const status = this.status(organizationId);
    return status instanceof Promise ? status.then((s) => this.#decide(principal, s)) : this.#decide(principal, status);
  }

  #decide(principal: Principal, status: PlanStatus | undefined): GatehouseError | undefined {
    if (status === undefined || status.mcp) return undefined;
    if (this.config.gate === 'tools-call') return this.#error('subscription_required', status);
    const issuedBeforeChange = principal.issuedAt !== undefined && status.changedAt !== null && principal.issuedAt * 1000 < status.changedAt;
    if (principal.kind === 'user' && issuedBeforeChange) return undefined;
    return this.#error('plan_required', status);
  }

  #error(code: 'plan_required' | 'plan_downgraded' | 'subscription_required', status: PlanStatus): GatehouseError {
    const required = this.#requiredPlan.map((p) => this.config.definitions[p]?.title ?? p).join(' or ');
    const message =
      code === 'plan_downgraded'
        ? `This organization moved to the ${status.title} plan, which does not include MCP access. Upgrade to ${required} to reconnect.`
        : `This organization is on the ${status.title} plan, which does not include MCP ${code === 'subscription_required' ? 'tool calls' : 'access'}. Upgrade to ${required}.`;
    return new GatehouseError(code, { message, details: { plan: status.plan, required_plan: this.#requiredPlan, upgrade_url: this.upgradeUrl } });
  }
}
