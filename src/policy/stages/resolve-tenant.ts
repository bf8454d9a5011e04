import { GatehouseError } from '../../errors/gatehouse-error.js';
import type { Stage, ToolCall } from '../stage.js';

/** One organization the caller belongs to, with their role there. */
export interface WorkspaceRef {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly role: string;
}

/** What the tenancy stage needs to know; the server wires it to the directory and the plan gate. */
export interface TenantDirectory {
  readonly mode: 'pinned' | 'per-call';
  /** The argument that names a workspace in `per-call` mode (default `workspace_id`). */
  readonly parameter: string;
  memberships(userId: string): readonly WorkspaceRef[] | Promise<readonly WorkspaceRef[]>;
  /** Plan admission for a workspace chosen at call time. */
  admit(call: ToolCall, organizationId: string): GatehouseError | undefined | Promise<GatehouseError | undefined>;
}

/** Argument names that name an organization; a pinned token refuses any other organization in them. */
const ORG_ARGUMENTS = ['organization_id', 'org_id', 'workspace_id', 'organization'];

/**
 * Binds the call to its organization (B-TEN-04, B-TEN-06). `pinned`: the
 * token's organization, and an argument naming another one is `org_mismatch`
 * even when the user belongs to both. `per-call`: the workspace argument,
 * or the only workspace, or `workspace_required` listing them.
 */
export function resolveTenantStage(tenancy: TenantDirectory): Stage {
  const named = [...new Set([tenancy.parameter, ...ORG_ARGUMENTS])];

  function pinned(call: ToolCall): GatehouseError | undefined | Promise<GatehouseError | undefined> {
    const org = call.context.organization;
    if (org === null) return undefined;
    let requested: string | undefined;
    // A plain loop: this runs on every pinned call, and most name no organization at all.
    for (const name of named) {
      const value = call.arguments[name];
      if (typeof value === 'string' && value !== org.id) {
        requested = value;
        break;
      }
    }
    if (requested === undefined) return undefined;
    const other = requested;
    // Only a call that names an organization pays for the lookup of the token's slug.
    return Promise.resolve(tenancy.memberships(call.context.principal.userId)).then((list) => {
      const own = list.find((w) => w.id === org.id);
      if (own !== undefined && other === own.slug) return undefined;
      return new GatehouseError('org_mismatch', {
        message: `This token is bound to ${own?.name ?? org.id}; it cannot act in ${other}. Call switch_organization to connect to another organization.`,
        details: { token_organization: own?.slug ?? org.id, requested_organization: other },
      });
    });
  }

  async function perCall(call: ToolCall): Promise<GatehouseError | undefined> {
    const { [tenancy.parameter]: given, ...rest } = call.arguments;
    call.arguments = rest;
    const list = await tenancy.memberships(call.context.principal.userId);
    let chosen: WorkspaceRef | undefined;
    if (given !== undefined) {
      chosen = typeof given === 'string' ? list.find((w) => w.id === given || w.slug === given) : undefined;
      // Not a member reads like no such workspace (B-TEN-07).
      if (chosen === undefined) return new GatehouseError('not_found', { message: 'Workspace not found', details: { resource: 'workspace', id: typeof given === 'string' ? given : JSON.stringify(given), field: tenancy.parameter } });
    } else if (list.length === 1) {
      chosen = list[0];
    } else if (list.length === 0) {
      return new GatehouseError('organization_required', { message: 'You do not belong to any workspace yet; ask an admin to add you to one.' });
    } else {
      return new GatehouseError('workspace_required', {
        message: `You belong to ${list.length} workspaces: pass ${tenancy.parameter} with one of them.`,
        details: { workspaces: list.map((w) => ({ id: w.id, slug: w.slug, name: w.name, role: w.role })), parameter: tenancy.parameter },
      });
    }
    if (chosen === undefined) return undefined;
    call.context.actIn({ id: chosen.id, role: chosen.role });
    return tenancy.admit(call, chosen.id);
  }

  return {
    name: 'resolve-tenant',
    before: (call) => {
      if (call.tool.definition.tenant === 'none') return undefined;
      return tenancy.mode === 'pinned' ? pinned(call) : perCall(call);
    },
  };
}
