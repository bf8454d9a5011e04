import type { Principal } from '../auth/principal.js';
import type { Logger } from '../log/logger.js';
import { LOG_LEVELS, type ClientDescription, type LogLevel, type OrganizationRef, type RequestContext } from '../tools/tool-context.js';
import type { Exchange } from './exchange.js';

const SEVERITY = new Map<LogLevel, number>(LOG_LEVELS.map((l, i) => [l, i]));

/**
 * The handler context of one call. Its abort signal is created only when a
 * handler reads it: creating AbortSignals is one of the costliest things on
 * the hot path, and most handlers finish without looking.
 */
export class CallContext implements RequestContext {
  readonly requestId: string;
  readonly principal: Principal;
  #organization: OrganizationRef | null;
  readonly logger: Logger;
  readonly client: ClientDescription;
  #controller: AbortController | undefined;
  #abortReason: unknown;
  #aborted = false;
  #done = false;
  #lastProgress = Number.NEGATIVE_INFINITY;
  #dataAsOf: string | undefined;

  constructor(
    private readonly ex: Exchange,
    readonly inputResponses: Readonly<Record<string, unknown>>,
    readonly requestState: unknown,
  ) {
    this.requestId = ex.requestId;
    this.principal = ex.principal;
    this.#organization = ex.organization;
    this.logger = ex.logger;
    this.client = ex.client;
  }

  get organization(): OrganizationRef | null {
    return this.#organization;
  }

  /** The `Idempotency-Key` header of the request, if any. */
  get idempotencyKey(): string | undefined {
    return this.ex.idempotencyKey;
  }

  /**
   * Whether Gatehouse can put a form in front of the user during this call:
   * the client declared form elicitation, and under 2025-11-25 the response can stream.
   */
  get canAskUser(): boolean {
    const elicitation = this.client.capabilities.elicitation;
    if (elicitation === undefined || elicitation === null) return false;
    // `{}` is form support by the spec; a client listing modes must list `form`.
    const modes = Object.keys(elicitation);
    if (modes.length > 0 && !modes.includes('form')) return false;
    return this.ex.era === 'modern' || this.ex.askClient !== undefined;
  }

  /** What the handler reported with `dataAsOf()`, as an ISO 8601 timestamp. */
  get reportedDataAsOf(): string | undefined {
    return this.#dataAsOf;
  }

  dataAsOf(when: Date | number | string): void {
    const date = when instanceof Date ? when : new Date(when);
    if (Number.isNaN(date.getTime())) throw new TypeError(`dataAsOf: not a date: ${String(when)}`);
    this.#dataAsOf = date.toISOString();
  }

  /** Binds the call to the organization the tenancy stage chose (a per-call workspace). */
  actIn(organization: OrganizationRef): void {
    this.#organization = organization;
  }

  /** Aborted when the client goes away or the call is stopped (time limit). */
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      const controller = new AbortController();
      this.#controller = controller;
      if (this.#aborted) controller.abort(this.#abortReason);
      else {
        const parent = this.ex.signal;
        if (parent.aborted) controller.abort(parent.reason);
        else parent.addEventListener('abort', () => controller.abort(parent.reason), { once: true, signal: controller.signal });
      }
    }
    return this.#controller.signal;
  }

  /** Stops the call: the signal (now or when first read) reports `reason`. */
  abort(reason: unknown): void {
    if (this.#aborted) return;
    this.#aborted = true;
    this.#abortReason = reason;
    this.#controller?.abort(reason);
  }

  /** The call is over; late progress and log messages are dropped. */
  finish(): void {
    this.#done = true;
  }

  progress(progress: number, total?: number, message?: string): void {
    // Progress must increase and stop once the request is over.
    if (this.ex.progressToken === undefined || this.#done || this.#aborted || progress <= this.#lastProgress) return;
    this.#lastProgress = progress;
    this.ex.emit({
      jsonrpc: '2.0',
      method: 'notifications/progress',
      params: {
        progressToken: this.ex.progressToken,
        progress,
        ...(total === undefined ? {} : { total }),
        ...(message === undefined ? {} : { message }),
      },
    });
  }

  log(level: LogLevel, data: unknown, logger?: string): void {
    const threshold = this.ex.logLevel;
    if (threshold === undefined || this.#done || (SEVERITY.get(level) ?? 0) < (SEVERITY.get(threshold) ?? 0)) return;
    this.ex.emit({ jsonrpc: '2.0', method: 'notifications/message', params: { level, data, ...(logger === undefined ? {} : { logger }) } });
  }
}
