import type { ErrorCode } from './catalog.js';

/** A choice offered by `workspace_required` / `profile_required`. */
export interface Choice {
  readonly id: string;
  readonly name: string;
}

/** One failing field of `invalid_input`. */
export interface FieldIssue {
  readonly field: string;
  readonly message: string;
}

/** Public fields any error may carry (B-ERR-01). */
export interface CommonDetails {
  readonly action_url?: string;
  readonly support_hint?: string;
  readonly [extra: string]: unknown;
}

/**
 * Fields a code must carry. The compiler refuses `fail('rate_limited')`
 * without `retry_after`, so an agent always gets what it needs to act.
 */
export interface RequiredDetails {
  rate_limited: { readonly retry_after: number };
  circuit_open: { readonly retry_after: number };
  too_many_registrations: { readonly retry_after: number };
  insufficient_scope: { readonly required_scope: string };
  forbidden: { readonly required_role?: string };
  /** `parameter` names the argument to pass the chosen id in. */
  workspace_required: { readonly workspaces: readonly Choice[]; readonly parameter: string };
  profile_required: { readonly profiles: readonly Choice[]; readonly parameter: string };
  plan_required: { readonly required_plan: readonly string[]; readonly upgrade_url: string };
  plan_downgraded: { readonly required_plan: readonly string[]; readonly upgrade_url: string };
  subscription_required: { readonly required_plan: readonly string[]; readonly upgrade_url: string };
  reauth_required: { readonly authorization_url: string };
  connector_required: { readonly connector: string; readonly action_url: string };
  connector_expired: { readonly connector: string; readonly action_url: string };
  addon_disconnected: { readonly addon: string; readonly action_url: string };
  writeback_disabled: { readonly action_url: string };
  confirmation_required: { readonly summary: string };
  invalid_input: { readonly field: string; readonly issues?: readonly FieldIssue[] };
  not_found: { readonly resource: string; readonly id?: string };
  invalid_state: { readonly resource: string; readonly status?: string; readonly allowed_status?: readonly string[] };
  data_unavailable: { readonly available_from?: string | null; readonly available_to?: string | null };
  method_not_allowed: { readonly allow: readonly string[] };
  unsupported_protocol_version: { readonly supported: readonly string[]; readonly requested?: string };
}

export type ErrorDetails<C extends ErrorCode> = C extends keyof RequiredDetails
  ? RequiredDetails[C] & CommonDetails
  : CommonDetails;
