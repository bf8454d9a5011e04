/** What an audit entry records. */
export type AuditKind =
  | 'sign_in'
  | 'sign_in_failed'
  | 'token_issued'
  | 'token_refreshed'
  | 'token_revoked'
  | 'session_revoked'
  | 'key_created'
  | 'key_revoked'
  | 'tool_call';

/**
 * One audited event (B-OPS-02). Ids, names and codes only: never a secret,
 * a token, an argument, a result or unmasked personal data.
 */
export interface AuditEntry {
  readonly kind: AuditKind;
  /** `ok`, or the catalogue error code the event ended with. */
  readonly outcome: string;
  readonly userId?: string | null;
  readonly organizationId?: string | null;
  readonly clientId?: string | null;
  /** The credential's id (token `jti`, key id), never the credential. */
  readonly credentialId?: string | null;
  readonly tool?: string | null;
  readonly durationMs?: number | null;
  readonly requestId?: string | null;
  /** A few more ids or names (a key's name, a grant id); written as JSON. */
  readonly detail?: Readonly<Record<string, string | number | boolean | null>>;
}

/**
 * Where audited events go. `record` must never block or throw: it is called
 * on the hot path, and the log writes in batches off it.
 */
export interface AuditLog {
  record(entry: AuditEntry): void;
}

/** An audit log that keeps nothing (tests, and products that audit elsewhere). */
export const discardAudit: AuditLog = { record: () => undefined };
