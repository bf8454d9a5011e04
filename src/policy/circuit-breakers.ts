/** What a breaker says about the next call. */
export type BreakerVerdict =
  | { readonly kind: 'closed' }
  /** The cool-down is over: this call is the one trial that closes or re-opens the breaker. */
  | { readonly kind: 'trial' }
  | { readonly kind: 'open'; readonly retryAfterMs: number };

/** Breaker thresholds (B-POL-04). */
export interface BreakerSettings {
  /** Consecutive failures that open a breaker. */
  readonly failures: number;
  /** The failures must fall within this window, ms. */
  readonly windowMs: number;
  /** How long an open breaker refuses calls, ms. */
  readonly coolDownMs: number;
}

/**
 * Where breaker state lives. In memory for one process; the scale-out store
 * shares it between instances. Both answer synchronously or with a promise.
 */
export interface CircuitBreakers {
  /** `subject` names the tool or connector inside the organization. */
  admit(organizationId: string, subject: string): BreakerVerdict | Promise<BreakerVerdict>;
  /** The outcome of a call that ran: `failed` for server-side failures only. */
  record(organizationId: string, subject: string, failed: boolean): void | Promise<void>;
}

interface State {
  failures: number;
  firstFailureAt: number;
  /** Set while open (and during the trial after it). */
  openUntil: number | null;
  trialInFlight: boolean;
}

/** While a trial call runs, others are told to come back in this long. */
const TRIAL_RETRY_MS = 1000;

/** Breakers of one process. A closed breaker with no failures keeps no state, so memory follows failures only. */
export class MemoryCircuitBreakers implements CircuitBreakers {
  // Nested by organization so the hot path looks up without building a key.
  readonly #states = new Map<string, Map<string, State>>();

  constructor(
    private readonly settings: BreakerSettings,
    private readonly now: () => number = Date.now,
  ) {}

  admit(organizationId: string, subject: string): BreakerVerdict {
    const s = this.#states.get(organizationId)?.get(subject);
    if (s === undefined || s.openUntil === null) return CLOSED;
    const now = this.now();
    if (now < s.openUntil) return { kind: 'open', retryAfterMs: s.openUntil - now };
    if (s.trialInFlight) return { kind: 'open', retryAfterMs: TRIAL_RETRY_MS };
    s.trialInFlight = true;
    return TRIAL;
  }

  record(organizationId: string, subject: string, failed: boolean): void {
    const inOrg = this.#states.get(organizationId);
    if (!failed) {
      if (inOrg?.delete(subject) === true && inOrg.size === 0) this.#states.delete(organizationId);
      return;
    }
    const now = this.now();
    const s = inOrg?.get(subject);
    if (s === undefined) {
      const states = inOrg ?? new Map<string, State>();
      this.#states.set(organizationId, states);
      states.set(subject, { failures: 1, firstFailureAt: now, openUntil: this.settings.failures <= 1 ? now + this.settings.coolDownMs : null, trialInFlight: false });
      return;
    }
    if (s.openUntil !== null) {
      // A failed trial (or a call admitted before the breaker opened): open for a new cool-down.
      s.openUntil = now + this.settings.coolDownMs;
      s.trialInFlight = false;
      return;
    }
    if (now - s.firstFailureAt > this.settings.windowMs) {
      s.failures = 1;
      s.firstFailureAt = now;
    } else {
      s.failures += 1;
    }
    if (s.failures >= this.settings.failures) s.openUntil = now + this.settings.coolDownMs;
  }
}

const CLOSED: BreakerVerdict = { kind: 'closed' };
const TRIAL: BreakerVerdict = { kind: 'trial' };
