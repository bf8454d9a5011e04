import { errorCatalog, type ErrorCode } from './catalog.js';
import type { ErrorDetails } from './details.js';

export interface GatehouseErrorOptions<C extends ErrorCode> {
  /** Public message; defaults to the catalogue message. Never put internals here. */
  readonly message?: string;
  /** Code-specific public fields (`retry_after`, `workspaces`, `field`…). */
  readonly details?: ErrorDetails<C>;
  /** The underlying cause, for the log only. */
  readonly cause?: unknown;
}

/**
 * A catalogue error: the only error type stages and handlers return or throw on
 * purpose. Its public fields go to the wire through one encoder per layer; the
 * cause goes to the log.
 */
export class GatehouseError<C extends ErrorCode = ErrorCode> extends Error {
  override readonly name = 'GatehouseError';
  readonly code: C;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: C, options: GatehouseErrorOptions<C> = {}) {
    super(options.message ?? errorCatalog[code].message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = (options.details ?? {});
  }

  get retryable(): boolean {
    return errorCatalog[this.code].retryable;
  }
}

/** Shorthand for `new GatehouseError(code, { message, details })`. */
export function fail<C extends ErrorCode>(code: C, message?: string, details?: ErrorDetails<C>): GatehouseError<C> {
  return new GatehouseError(code, {
    ...(message === undefined ? {} : { message }),
    ...(details === undefined ? {} : { details }),
  });
}

export function isGatehouseError(value: unknown): value is GatehouseError {
  return value instanceof GatehouseError;
}
