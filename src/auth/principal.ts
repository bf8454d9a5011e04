/**
 * Who is calling: the result of credential verification, handed to every
 * stage and to tool handlers. Built once per credential and cached, so the hot
 * path reads it and never recomputes it.
 */
export interface Principal {
  /** How the caller authenticated. */
  readonly kind: 'user' | 'api_key' | 'local';
  /** Stable id of the credential (token `jti`, key id, `local`): rate limits and sessions key on it. */
  readonly credentialId: string;
  /** The user the credential acts for. */
  readonly userId: string;
  readonly email?: string;
  /** The organization the credential is pinned to, when it is. */
  readonly organizationId: string | null;
  readonly role?: string;
  /** Scopes the credential actually carries. */
  readonly scopes: ReadonlySet<string>;
  /** OAuth client that obtained the token, when there is one. */
  readonly clientId?: string;
  /** Credential expiry, epoch seconds; absent for credentials that do not expire. */
  readonly expiresAt?: number;
  /** When the credential was issued, epoch seconds, for access tokens. */
  readonly issuedAt?: number;
}
