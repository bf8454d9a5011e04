import type { Principal } from '../auth/principal.js';
import { ConfigurationError } from '../errors/configuration-error.js';
import { GatehouseError } from '../errors/gatehouse-error.js';
import type { CompiledTool } from '../protocol/compile-tool.js';
import type { ToolGate } from '../protocol/tool-gate.js';
import type { AccessModel } from './roles.js';

interface ToolRule {
  readonly scope: string | undefined;
  /** Roles admitted by `minRole`; `undefined` admits every role. */
  readonly roles: ReadonlySet<string> | undefined;
  readonly minRole: string | undefined;
}

/**
 * Per-tool scope and role gates (B-TEN-02, B-TEN-03), checked against the
 * access model once at start-up so an unknown scope or role is a
 * configuration error rather than a tool nobody can ever call.
 */
export class ToolAccess implements ToolGate {
  readonly #rules = new Map<string, ToolRule>();
  readonly #roleScopes: ReadonlyMap<string, ReadonlySet<string>>;

  constructor(
    access: AccessModel,
    tools: readonly CompiledTool[],
  ) {
    const order = Object.keys(access.roles);
    this.#roleScopes = new Map(Object.entries(access.roles).map(([role, scopes]) => [role, new Set(scopes)]));
    tools.forEach((tool, i) => {
      const { scope, minRole } = tool.definition;
      const path = `tools[${i}] (${tool.name})`;
      if (scope !== undefined && !(scope in access.scopes)) throw new ConfigurationError(`scope ${scope} is not one of the access model's scopes (${Object.keys(access.scopes).join(', ')})`, path);
      let roles: Set<string> | undefined;
      if (minRole !== undefined) {
        const at = order.indexOf(minRole);
        if (at < 0) throw new ConfigurationError(`minRole ${minRole} is not one of the access model's roles (${order.join(', ')})`, path);
        roles = new Set(order.slice(0, at + 1));
      }
      this.#rules.set(tool.name, { scope, roles, minRole });
    });
  }

  /** The declared gates of a tool, for capability listings. */
  rule(tool: CompiledTool): { scope?: string; minRole?: string } {
    const r = this.#rules.get(tool.name);
    return { ...(r?.scope === undefined ? {} : { scope: r.scope }), ...(r?.minRole === undefined ? {} : { minRole: r.minRole }) };
  }

  /** Whether the caller holds `scope` acting with `role` (a per-call token holds the union of its roles' scopes). */
  holds(principal: Principal, role: string | undefined, scope: string): boolean {
    if (!principal.scopes.has(scope)) return false;
    return principal.organizationId !== null || role === undefined || this.#roleScopes.get(role)?.has(scope) === true;
  }

  visible(principal: Principal, tool: CompiledTool): boolean {
    return this.refusal(principal, principal.role, tool) === undefined;
  }

  refusal(principal: Principal, role: string | undefined, tool: CompiledTool): GatehouseError | undefined {
    const rule = this.#rules.get(tool.name);
    if (rule === undefined) return undefined;
    // A per-call token carries the scopes of all the user's roles; a call acts with the role of its workspace only.
    const narrowed = principal.organizationId === null && role !== undefined && rule.scope !== undefined && this.#roleScopes.get(role)?.has(rule.scope) !== true;
    if (rule.scope !== undefined && (!principal.scopes.has(rule.scope) || narrowed)) {
      return new GatehouseError('insufficient_scope', {
        message: narrowed
          ? `The tool ${tool.name} needs the scope ${rule.scope}, which your role here (${role}) does not grant.`
          : `The tool ${tool.name} needs the scope ${rule.scope}, which this token does not carry.`,
        details: { required_scope: rule.scope, tool: tool.name },
      });
    }
    // Without a known role (a per-call token before its workspace is chosen) the role gate waits for the call.
    if (rule.roles !== undefined && role !== undefined && !rule.roles.has(role)) {
      return new GatehouseError('forbidden', {
        message: `The tool ${tool.name} is for ${this.#describe(rule)} only; your role here is ${role}.`,
        details: { required_role: rule.minRole, role, tool: tool.name },
      });
    }
    return undefined;
  }

  #describe(rule: ToolRule): string {
    const roles = [...(rule.roles ?? [])];
    return roles.length === 1 ? `${roles[0]}s` : `${roles.slice(0, -1).join(', ')} and ${roles.at(-1)}s`;
  }
}
