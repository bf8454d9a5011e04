import type { Principal } from '../auth/principal.js';
import type { Logger } from '../log/logger.js';

/** MCP log levels, lowest to highest severity. */
export const LOG_LEVELS = ['debug', 'info', 'notice', 'warning', 'error', 'critical', 'alert', 'emergency'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Implementation {
  readonly name: string;
  readonly version: string;
  readonly title?: string;
}

/** What the client declared it can do (per request in 2026-07-28, at initialize before). */
export interface ClientCapabilities {
  readonly sampling?: Readonly<Record<string, unknown>>;
  readonly elicitation?: Readonly<Record<string, unknown>>;
  readonly roots?: Readonly<Record<string, unknown>>;
  readonly [other: string]: unknown;
}

export interface ClientDescription {
  readonly protocolVersion: string;
  readonly info?: Implementation;
  readonly capabilities: ClientCapabilities;
}

/** The organization a call acts in, and the caller's role there when known. */
export interface OrganizationRef {
  readonly id: string;
  readonly role?: string;
}

/**
 * Everything a handler gets besides its validated input. Built once per
 * request; handlers must honour `signal` (client gone or time limit reached).
 */
export interface RequestContext {
  /** Correlates the response, its error body and every log line. */
  readonly requestId: string;
  readonly principal: Principal;
  readonly organization: OrganizationRef | null;
  /** A child logger already bound to `request_id`. */
  readonly logger: Logger;
  /** Aborted when the client disconnects or the time limit is reached. */
  readonly signal: AbortSignal;
  readonly client: ClientDescription;
  /** Answers to the input requests of an earlier `inputRequired` result, by key. */
  readonly inputResponses: Readonly<Record<string, unknown>>;
  /** The state returned with the earlier `inputRequired` result, verified; `undefined` on a first call. */
  readonly requestState: unknown;
  /** Sends `notifications/progress` when the client asked for progress; otherwise a no-op. */
  progress(progress: number, total?: number, message?: string): void;
  /** Sends `notifications/message` to the client when its log level lets it through. */
  log(level: LogLevel, data: unknown, logger?: string): void;
  /**
   * Says how fresh the data in this result is (the last sync, the newest
   * event): Gatehouse adds it as `meta.data_as_of` (B-POL-09).
   */
  dataAsOf(when: Date | number | string): void;
}

export type ToolContext = RequestContext;
