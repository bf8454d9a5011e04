/** Row types of Gatehouse's own tables, for Kysely. Timestamps are epoch milliseconds. */

export interface McpSessionRow {
  id_hash: string;
  credential_id: string;
  protocol_version: string;
  client_info: string | null;
  client_capabilities: string;
  log_level: string | null;
  created_at: number;
  last_seen_at: number;
}

export interface UserRow {
  id: string;
  email: string;
  name: string | null;
  password_hash: string | null;
  failed_logins: number;
  locked_until: number | null;
  created_at: number;
  updated_at: number;
}

export interface UserIdentityRow {
  provider: string;
  subject: string;
  user_id: string;
  created_at: number;
}

export interface OrganizationRow {
  id: string;
  slug: string;
  name: string;
  plan: string | null;
  /** When `plan` last changed; `null` if it never did. */
  plan_changed_at: number | null;
  /** 1 when an admin allowed tools to write to third parties (B-POL-05). */
  writeback_enabled: number;
  /** `masked` (default) or `full_default`: whether PII may be unmasked on request (B-POL-08). */
  pii_mode: string;
  created_at: number;
  updated_at: number;
}

/** A profile inside an organization (a brand, a sender, a project) for products that have them. */
export interface ProfileRow {
  id: string;
  organization_id: string;
  name: string;
  created_at: number;
}

/** "Something changed, drop your cache": read by every process that shares the store. */
export interface ChangeNoticeRow {
  id: string;
  topic: string;
  subject: string;
  at: number;
}

export interface MembershipRow {
  user_id: string;
  organization_id: string;
  role: string;
  created_at: number;
  updated_at: number;
}

export interface OidcPayloadRow {
  model: string;
  id: string;
  payload: string;
  grant_id: string | null;
  uid: string | null;
  user_code: string | null;
  expires_at: number | null;
  consumed_at: number | null;
}

export interface OAuthGrantRow {
  grant_id: string;
  user_id: string;
  organization_id: string | null;
  client_id: string;
  client_name: string | null;
  scope: string;
  created_at: number;
  last_used_at: number;
  revoked_at: number | null;
}

export interface OAuthClientRow {
  client_id: string;
  created_at: number;
  last_used_at: number | null;
}

export interface SigningKeyRow {
  kid: string;
  sealed_jwk: string;
  created_at: number;
}

export interface ApiKeyRow {
  id: string;
  secret_hash: string;
  display: string;
  name: string;
  user_id: string;
  organization_id: string | null;
  scopes: string;
  created_at: number;
  expires_at: number | null;
  revoked_at: number | null;
  last_used_at: number | null;
}

/** One of an organization's integrations (B-POL-06); no row means not connected. */
export interface ConnectorRow {
  organization_id: string;
  connector: string;
  connected_by: string | null;
  connected_at: number;
  /** When the integration's token expires; `null` if it does not. */
  expires_at: number | null;
  /** The integration's credential, sealed with the server secret. */
  sealed_credential: string | null;
}

/** The first result of an idempotent call, kept for replays (B-POL-03). */
export interface IdempotencyKeyRow {
  /** sha256 of organization, user, tool and key. */
  scope_key: string;
  args_hash: string;
  state: 'running' | 'done';
  result: string | null;
  created_at: number;
  expires_at: number;
}

/** One audited event (B-OPS-02): never a secret, an argument or a result. */
export interface AuditRow {
  id: string;
  at: number;
  kind: string;
  /** `ok` or the catalogue error code. */
  outcome: string;
  user_id: string | null;
  organization_id: string | null;
  client_id: string | null;
  credential_id: string | null;
  tool: string | null;
  duration_ms: number | null;
  request_id: string | null;
  detail: string | null;
}

export interface GatehouseSchema {
  mcp_sessions: McpSessionRow;
  users: UserRow;
  user_identities: UserIdentityRow;
  organizations: OrganizationRow;
  memberships: MembershipRow;
  oidc_payloads: OidcPayloadRow;
  oauth_grants: OAuthGrantRow;
  oauth_clients: OAuthClientRow;
  signing_keys: SigningKeyRow;
  api_keys: ApiKeyRow;
  profiles: ProfileRow;
  change_notices: ChangeNoticeRow;
  connectors: ConnectorRow;
  idempotency_keys: IdempotencyKeyRow;
  audit_log: AuditRow;
}
