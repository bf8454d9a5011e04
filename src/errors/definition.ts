/**
 * The shape of one entry in the error catalogue. Every field is required so an
 * entry without its HTTP status, retryable flag or documentation does not compile.
 */

/** Where an error is surfaced. A code may be valid at several layers. */
export type ErrorLayer = 'http' | 'jsonrpc' | 'tool' | 'oauth';

/** The error families of the catalogue; used to group the generated reference. */
export type ErrorFamily =
  | 'transport'
  | 'protocol'
  | 'authentication'
  | 'authorization-server'
  | 'tenancy'
  | 'plan'
  | 'policy'
  | 'input'
  | 'server';

export interface ErrorDoc {
  /** What the error means, in one or two sentences. */
  readonly meaning: string;
  /** The usual causes. */
  readonly cause: string;
  /** What the caller (user, agent or operator) should do. */
  readonly fix: string;
}

export interface ErrorDefinition {
  readonly family: ErrorFamily;
  /** Layers this code can appear at, the first one being its usual home. */
  readonly layers: readonly [ErrorLayer, ...ErrorLayer[]];
  /** HTTP status used when the error is answered at the transport (layer 1). */
  readonly http: number;
  /**
   * JSON-RPC error code used when the error is answered at the protocol layer
   * (layer 2). `null` for codes that never appear there.
   */
  readonly jsonrpc: number | null;
  /** Whether retrying the same request later can succeed without a change. */
  readonly retryable: boolean;
  /** Default public message; never contains internals. */
  readonly message: string;
  /**
   * The value of the `error` field on the wire when it differs from the code:
   * OAuth (RFC 6749/6750) clients read `error`, so auth errors keep the value
   * they standardise while `code` stays ours.
   */
  readonly wireError?: string;
  readonly doc: ErrorDoc;
  /** Code-specific fields shown in the documented example payload. */
  readonly example: Readonly<Record<string, unknown>>;
}
