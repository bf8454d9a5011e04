import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Principal } from '../auth/principal.js';
import { GatehouseError } from '../errors/gatehouse-error.js';
import type { CostUnits, PlanLimits } from '../tenancy/limits.js';
import type { RateLimits as RateLimitSettings } from './policy-options.js';

/** Builds a limiter of `points` per `durationSec`; in memory by default, shared stores in scale-out. */
export type LimiterFactory = (options: { readonly points: number; readonly durationSec: number; readonly keyPrefix: string }) => RateLimiterAbstract;

export const memoryLimiters: LimiterFactory = ({ points, durationSec, keyPrefix }) => new RateLimiterMemory({ points, duration: durationSec, keyPrefix });

/** An organization's plan limits, synchronous while cached. */
export type PlanLimitsOf = (organizationId: string) => PlanLimits | undefined | Promise<PlanLimits | undefined>;

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/**
 * The two limits of B-POL-02, with `rate-limiter-flexible`: requests per
 * credential per minute (the transport answers 429) and cost units per
 * organization per period (a `rate_limited` tool error). Each is the plan's
 * value when the plan sets one, else the product's. One limiter exists per
 * distinct setting, built on first use.
 */
export class RateLimits {
  // Keyed by the numbers themselves, so the per-request lookup builds no string.
  readonly #perMinute = new Map<number, RateLimiterAbstract>();
  readonly #costs = new Map<CostUnits, RateLimiterAbstract>();

  constructor(
    private readonly settings: RateLimitSettings,
    private readonly planLimits: PlanLimitsOf | undefined,
    private readonly factory: LimiterFactory = memoryLimiters,
  ) {}

  /** One request by this credential. */
  request(principal: Principal): Promise<GatehouseError | undefined> | GatehouseError | undefined {
    const org = principal.organizationId;
    const plan = org === null || this.planLimits === undefined ? undefined : this.planLimits(org);
    if (plan instanceof Promise) return plan.then((p) => this.#request(principal, p));
    return this.#request(principal, plan);
  }

  /** `cost` units used by a call in this organization; nothing to check when no cap applies. */
  cost(organizationId: string, cost: number): Promise<GatehouseError | undefined> | undefined {
    if (cost <= 0) return undefined;
    const plan = this.planLimits?.(organizationId);
    if (plan instanceof Promise) return plan.then((p) => this.#cost(organizationId, cost, p));
    return this.#cost(organizationId, cost, plan);
  }

  #request(principal: Principal, plan: PlanLimits | undefined): Promise<GatehouseError | undefined> {
    const perMinute = plan?.requestsPerMinute ?? this.settings.requestsPerMinute;
    let limiter = this.#perMinute.get(perMinute);
    if (limiter === undefined) this.#perMinute.set(perMinute, (limiter = this.factory({ points: perMinute, durationSec: 60, keyPrefix: `gatehouse:rpm:${perMinute}` })));
    return limiter.consume(principal.credentialId).then(
      () => undefined,
      (rejected: unknown) => {
        // A store failure (not a refusal) surfaces as it is: the transport answers it as internal_error.
        if (!(rejected instanceof RateLimiterRes)) throw rejected;
        return new GatehouseError('rate_limited', {
          message: `Per-minute rate limit of ${perMinute} requests exceeded. Wait ${seconds(rejected.msBeforeNext)} seconds.`,
          details: { retry_after: seconds(rejected.msBeforeNext), limit: perMinute, period_sec: 60 },
        });
      },
    );
  }

  #cost(organizationId: string, cost: number, plan: PlanLimits | undefined): Promise<GatehouseError | undefined> | undefined {
    const cap: CostUnits | undefined = plan?.costUnits ?? this.settings.costUnits;
    if (cap === undefined) return undefined;
    // Caps come from the validated options, so each distinct cap is one object.
    let limiter = this.#costs.get(cap);
    if (limiter === undefined) this.#costs.set(cap, (limiter = this.factory({ points: cap.points, durationSec: cap.periodSec, keyPrefix: `gatehouse:cost:${cap.points}:${cap.periodSec}` })));
    return limiter.consume(organizationId, cost).then(
      () => undefined,
      async (rejected: unknown) => {
        if (!(rejected instanceof RateLimiterRes)) throw rejected;
        // A refused call spends nothing: give its units back, so cheaper calls still fit.
        await limiter.reward(organizationId, cost);
        const retryAfter = seconds(rejected.msBeforeNext);
        const used = Math.min(cap.points, rejected.consumedPoints - cost);
        return new GatehouseError('rate_limited', {
          message:
            cost > cap.points
              ? `This call costs ${cost} units, more than the ${cap.points} units your plan allows per ${cap.periodSec} s.`
              : `Your organization used ${used} of its ${cap.points} cost units for this period; this call needs ${cost}. Wait ${retryAfter} seconds.`,
          details: { retry_after: retryAfter, limit: cap.points, period_sec: cap.periodSec, cost, remaining: Math.max(0, cap.points - used) },
        });
      },
    );
  }
}
