/** Every kind of audited event, for filters and validation. */
export const auditKinds = [
  'sign_in',
  'sign_in_failed',
  'token_issued',
  'token_refreshed',
  'token_revoked',
  'session_revoked',
  'key_created',
  'key_revoked',
  'tool_call',
] as const;

/** What an audit entry records. */
export type AuditKind = (typeof auditKinds)[number];

/**
 * One audited event (B-OPS-02). Ids, names and codes only: never a secret,
 * a token, an argument, a result or unmasked personal data.
 */
export interface AuditEntry {
  readonly kind: AuditKind;
  /** `ok`, or the code the event ended with: a catalogue or OAuth error code, or a sign-in refusal (`invalid_credentials`, `account_locked`, …; docs/audit-log.md). */
  readonly outcome: string;
  readonly userId?: string | null;
  readonly organizationId?: string | null;
  readonly clientId?: string | null;
  /** The credential's id (`grant:<id>` for a sign-in's tokens, `key:<id>`), never the credential. */
  readonly credentialId?: string | null;
  readonly tool?: string | null;
  readonly durationMs?: number | null;
  readonly requestId?: string | null;
  /** A few more codes or names (a sign-in method, a key's scopes); written as JSON. Never free text a person typed. */
  readonly detail?: Readonly<Record<string, string | number | boolean | null>>;
}

/**
 * Where audited events go. `record` must never block or throw: it is called
 * on the hot path, and the log writes in batches off it.
 */
export interface AuditLog {
  record(entry: AuditEntry): void;
  /** Writes what is buffered; Gatehouse calls it when it closes (and the admin CLI before it exits). */
  flush?(): Promise<void>;
}

/** An audit log that keeps nothing (tests, and products that audit elsewhere). */
export const discardAudit: AuditLog = { record: () => undefined };
