import { z } from 'zod';
import { GatehouseError } from '../errors/gatehouse-error.js';
import type { CompiledTool } from '../protocol/compile-tool.js';
import { defineTool, type ToolDefinition } from '../tools/define-tool.js';
import type { ToolContext } from '../tools/tool-context.js';
import type { Directory } from './directory.js';
import type { MembershipCache, Workspace } from './membership-cache.js';
import type { PlanGate, PlanStatus } from './plan-gate.js';
import { signSwitchTicket } from './switch-ticket.js';
import type { ToolAccess } from './tool-access.js';

export const BUILTIN_TOOL_NAMES = ['whoami', 'get_capabilities', 'list_organizations', 'switch_organization'] as const;
export type BuiltinToolName = (typeof BUILTIN_TOOL_NAMES)[number];

export interface BuiltinToolDeps {
  readonly directory: Directory;
  readonly memberships: MembershipCache;
  readonly plans: PlanGate | undefined;
  /** Late-bound: the gates and the compiled tools exist only once the registry (with these tools) is compiled. */
  readonly toolAccess: () => ToolAccess;
  readonly tools: () => readonly CompiledTool[];
  readonly tenancy: { readonly mode: 'pinned' | 'per-call'; readonly parameter: string };
  readonly secret: string;
  readonly publicUrl: URL;
  /** Whether the built-in authorization server runs (a switch needs a new sign-in there). */
  readonly signInAvailable: boolean;
  /** Where tokens come from when the built-in authorization server is off (the external issuer). */
  readonly externalSignInUrl?: string;
  /** How long a switch link stays valid, ms. Default 10 minutes. */
  readonly switchTtlMs?: number;
}

const planShape = z.object({ name: z.string(), title: z.string(), includes_mcp: z.boolean() }).nullable();
const orgShape = z.object({ id: z.string(), slug: z.string(), name: z.string() });

/** A tool's effective policy, as `get_capabilities` shows it. */
const policyShape = z.object({
  destructive: z.boolean(),
  idempotent: z.boolean(),
  cost: z.number(),
  writes_to: z.string().nullable(),
  connector: z.string().nullable(),
  addon: z.string().nullable(),
  pii: z.array(z.string()),
  freshness: z.string().nullable(),
});

const policyView = (def: ToolDefinition): z.infer<typeof policyShape> => ({
  destructive: def.destructive !== undefined && def.destructive !== false,
  idempotent: def.idempotent === true,
  cost: def.cost ?? 0,
  writes_to: def.writesTo ?? null,
  connector: def.connector ?? null,
  addon: def.addon ?? null,
  pii: [...(def.pii ?? [])],
  freshness: def.freshness ?? null,
});

const planView = (s: PlanStatus | undefined) => (s === undefined ? null : { name: s.plan, title: s.title, includes_mcp: s.mcp });

/**
 * The tools every Gatehouse server offers (B-TEN-05, B-TEN-08): who am I,
 * what may I call, which organizations are mine, and how to switch. None of
 * them needs a scope or an organization; each can be turned off.
 */
export function builtinTools(d: BuiltinToolDeps, enabled: Readonly<Record<BuiltinToolName, boolean>>): ToolDefinition[] {
  const current = async (ctx: ToolContext): Promise<Workspace | undefined> => {
    const org = ctx.organization;
    return org === null ? undefined : (await d.memberships.get(ctx.principal.userId)).find((w) => w.id === org.id);
  };
  const plan = async (organizationId: string | undefined) => (organizationId === undefined || d.plans === undefined ? undefined : d.plans.read(organizationId));

  const whoami = defineTool({
    name: 'whoami',
    title: 'Who am I',
    description:
      'Reports who this connection acts as: the user, the organization and role, the organization plan, the scopes the token actually carries, and when the token expires. ' +
      'Call it first when a tool is refused, to see why.',
    tenant: 'none',
    input: z.object({}),
    output: z.object({
      user: z.object({ id: z.string(), email: z.string().nullable(), name: z.string().nullable() }),
      organization: orgShape.nullable(),
      role: z.string().nullable(),
      plan: planShape,
      scopes: z.array(z.string()),
      credential: z.object({ kind: z.string(), client_id: z.string().nullable(), expires_at: z.string().nullable() }),
      tenancy: z.enum(['pinned', 'per-call']),
    }),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    handler: async (_input, ctx) => {
      const p = ctx.principal;
      const [user, org] = await Promise.all([d.directory.getUser(p.userId), current(ctx)]);
      return {
        user: { id: p.userId, email: user?.email ?? p.email ?? null, name: user?.name ?? null },
        organization: org === undefined ? null : { id: org.id, slug: org.slug, name: org.name },
        role: org?.role ?? p.role ?? null,
        plan: planView(await plan(org?.id)),
        scopes: [...p.scopes].sort(),
        credential: { kind: p.kind, client_id: p.clientId ?? null, expires_at: p.expiresAt === undefined ? null : new Date(p.expiresAt * 1000).toISOString() },
        tenancy: d.tenancy.mode,
      };
    },
  });

  const getCapabilities = defineTool({
    name: 'get_capabilities',
    title: 'What can I do here',
    description:
      'Lists every tool of this server with whether this connection may call it, and if not, why (missing scope, role too low, plan) and what would fix it.',
    tenant: 'none',
    input: z.object({}),
    output: z.object({
      organization: orgShape.nullable(),
      role: z.string().nullable(),
      plan: planShape,
      tools: z.array(
        z.object({
          name: z.string(),
          allowed: z.boolean(),
          required_scope: z.string().nullable(),
          min_role: z.string().nullable(),
          reason: z.object({ code: z.string(), message: z.string() }).nullable(),
          policy: policyShape,
        }),
      ),
    }),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    handler: async (_input, ctx) => {
      const org = await current(ctx);
      const role = org?.role ?? ctx.principal.role;
      const status = await plan(org?.id);
      const access = d.toolAccess();
      const planRefusal = org === undefined || d.plans === undefined ? undefined : await d.plans.admit(ctx.principal, org.id, 'tools/call');
      return {
        organization: org === undefined ? null : { id: org.id, slug: org.slug, name: org.name },
        role: role ?? null,
        plan: planView(status),
        tools: d.tools().map((tool) => {
          const rule = access.rule(tool);
          const refusal = access.refusal(ctx.principal, role, tool) ?? (tool.definition.tenant === 'none' ? undefined : planRefusal);
          return {
            name: tool.name,
            allowed: refusal === undefined,
            required_scope: rule.scope ?? null,
            min_role: rule.minRole ?? null,
            reason: refusal === undefined ? null : { code: refusal.code, message: refusal.message },
            policy: policyView(tool.definition),
          };
        }),
      };
    },
  });

  const listOrganizations = defineTool({
    name: 'list_organizations',
    title: 'List my organizations',
    description: 'Lists the organizations (workspaces) you belong to, your role and plan in each, and which one this connection acts in.',
    tenant: 'none',
    input: z.object({}),
    output: z.object({
      organizations: z.array(orgShape.extend({ role: z.string(), plan: planShape, current: z.boolean() })),
      tenancy: z.enum(['pinned', 'per-call']),
    }),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    handler: async (_input, ctx) => {
      const list = await d.memberships.get(ctx.principal.userId);
      const organizations = await Promise.all(
        list.map(async (w) => ({ id: w.id, slug: w.slug, name: w.name, role: w.role, plan: planView(await plan(w.id)), current: ctx.organization?.id === w.id })),
      );
      return { organizations, tenancy: d.tenancy.mode };
    },
  });

  const switchOrganization = defineTool({
    name: 'switch_organization',
    title: 'Switch organization',
    description:
      'Starts connecting to another of your organizations. A connection is bound to one organization, so this never switches silently: ' +
      'it answers reauth_required with an authorization_url for the user to open; after signing in again the client acts in the new organization.',
    tenant: 'none',
    input: z.object({ organization: z.string().min(1).describe('Id or slug of the target organization, from list_organizations.') }),
    output: z.object({ organization: orgShape, already_current: z.boolean(), note: z.string() }),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    handler: async ({ organization }, ctx) => {
      const list = await d.memberships.get(ctx.principal.userId);
      const target = list.find((w) => w.id === organization || w.slug === organization);
      if (target === undefined) throw new GatehouseError('not_found', { message: 'Organization not found among yours; call list_organizations', details: { resource: 'organization', id: organization } });
      const view = { id: target.id, slug: target.slug, name: target.name };
      if (d.tenancy.mode === 'per-call') {
        return { organization: view, already_current: false, note: `No switch needed: pass ${d.tenancy.parameter}: "${target.id}" to each tool call.` };
      }
      if (ctx.organization?.id === target.id) return { organization: view, already_current: true, note: `This connection already acts in ${target.name}.` };
      if (ctx.principal.kind === 'api_key') {
        throw new GatehouseError('reauth_required', {
          message: `API keys are bound to one organization. Create a key for ${target.name} and use it instead.`,
          details: { authorization_url: new URL('/dashboard/api-keys', d.publicUrl).href, organization: view },
        });
      }
      if (!d.signInAvailable) {
        // Tokens come from an external issuer (or none): only it can bind a new token to the target.
        throw new GatehouseError('reauth_required', {
          message: `To act in ${target.name}, get a new token for it from your identity provider and reconnect.`,
          details: { authorization_url: d.externalSignInUrl ?? d.publicUrl.href, organization: view },
        });
      }
      const ticket = signSwitchTicket(d.secret, { userId: ctx.principal.userId, organizationId: target.id, expiresAt: Date.now() + (d.switchTtlMs ?? 600_000) });
      const url = new URL('/oauth/switch', d.publicUrl);
      url.searchParams.set('ticket', ticket);
      throw new GatehouseError('reauth_required', {
        message: `To act in ${target.name}, the user must sign in again: open authorization_url, then reconnect the client. The current connection stays bound to its organization.`,
        details: { authorization_url: url.href, organization: view },
      });
    },
  });

  const all: Record<BuiltinToolName, ToolDefinition> = { whoami, get_capabilities: getCapabilities, list_organizations: listOrganizations, switch_organization: switchOrganization };
  return BUILTIN_TOOL_NAMES.filter((name) => enabled[name]).map((name) => all[name]);
}
