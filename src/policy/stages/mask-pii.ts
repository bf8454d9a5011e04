import type { Principal } from '../../auth/principal.js';
import type { ContentBlock } from '../../tools/content.js';
import { isToolResult, toolResult } from '../../tools/tool-result.js';
import type { OrganizationPolicySettings } from '../../tenancy/organization-settings.js';
import type { ToolOutcome } from '../../protocol/tool-invoker.js';
import { maskPaths, maskText, parsePiiPath } from '../pii-mask.js';
import type { Stage, ToolCall } from '../stage.js';

type Paths = readonly (readonly ReturnType<typeof parsePiiPath>[number][])[];

/** What the stage needs to decide whether a caller may see PII. */
export interface PiiAccess {
  readonly scope: string;
  /** Whether the caller holds `scope` for the call's role (a per-call token holds its roles' union). */
  holds(principal: Principal, role: string | undefined, scope: string): boolean;
  settings(organizationId: string): OrganizationPolicySettings | Promise<OrganizationPolicySettings>;
}

function mask(outcome: Extract<ToolOutcome, { kind: 'value' }>, paths: Paths): ToolOutcome {
  const seen = new Map<string, string>();
  const value = outcome.value;
  if (!isToolResult(value)) return { kind: 'value', value: maskPaths(value, paths, seen) };
  const structuredContent = value.structuredContent === undefined ? undefined : maskPaths(value.structuredContent, paths, seen);
  // Text blocks often repeat the data: every masked original is masked there too.
  const content = value.content.map((block): ContentBlock => (block.type === 'text' && seen.size > 0 ? { ...block, text: maskText(block.text, seen) } : block));
  return {
    kind: 'value',
    value: toolResult({ content, ...(structuredContent === undefined ? {} : { structuredContent }), ...(value.isError === undefined ? {} : { isError: value.isError }), ...(value._meta === undefined ? {} : { _meta: value._meta }) }),
  };
}

/**
 * Declared PII fields are masked (`j***@example.com`) unless all three hold
 * (B-POL-08): the caller has the PII scope, asked with `include_sensitive:
 * true`, and the organization's PII mode is `full_default`.
 */
export function maskPiiStage(access: PiiAccess): Stage {
  const parsed = new WeakMap<object, Paths>();
  const pathsOf = (call: ToolCall): Paths => {
    const declared = call.tool.definition.pii ?? [];
    let paths = parsed.get(declared);
    if (paths === undefined) parsed.set(declared, (paths = declared.map(parsePiiPath)));
    return paths;
  };
  return {
    name: 'mask-pii',
    after(call, outcome) {
      const pii = call.tool.definition.pii;
      if (pii === undefined || pii.length === 0 || outcome.kind !== 'value' || !call.ran) return undefined;
      const ctx = call.context;
      const org = ctx.organization;
      const asked = call.includeSensitive && org !== null && access.holds(ctx.principal, org.role ?? ctx.principal.role, access.scope);
      if (!asked) return mask(outcome, pathsOf(call));
      const settings = access.settings(org.id);
      const decide = (s: OrganizationPolicySettings) => (s.piiMode === 'full_default' ? outcome : mask(outcome, pathsOf(call)));
      return settings instanceof Promise ? settings.then(decide) : decide(settings);
    },
  };
}
