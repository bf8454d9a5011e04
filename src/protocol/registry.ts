import { ConfigurationError } from '../errors/configuration-error.js';
import type { PromptDefinition } from '../tools/define-prompt.js';
import type { ResourceDefinition, ResourceTemplateDefinition } from '../tools/define-resource.js';
import type { ToolDefinition } from '../tools/define-tool.js';
import { compileTool, type CompiledTool, type SchemaExtensions } from './compile-tool.js';
import { compileUriTemplate, type UriTemplate } from './uri-template.js';

export interface CompiledTemplate {
  readonly definition: ResourceTemplateDefinition;
  readonly template: UriTemplate;
}

/** Server capabilities as advertised at initialize and `server/discover`. */
export interface ServerCapabilities {
  readonly tools?: { readonly listChanged?: boolean };
  readonly resources?: { readonly subscribe?: boolean; readonly listChanged?: boolean };
  readonly prompts?: { readonly listChanged?: boolean };
  readonly completions?: Record<string, never>;
  readonly logging?: Record<string, never>;
}

export interface RegistryDefinitions {
  readonly tools: readonly ToolDefinition[];
  readonly prompts?: readonly PromptDefinition[];
  readonly resources?: readonly (ResourceDefinition | ResourceTemplateDefinition)[];
  /** What the server adds to tools' schemas (the per-call workspace, `confirm`, `meta`, …). */
  readonly extensions?: SchemaExtensions;
}

/** The product's declarations, compiled once so dispatch is map lookups. */
export interface Registry {
  readonly tools: ReadonlyMap<string, CompiledTool>;
  /** In declaration order, so `tools/list` is deterministic. */
  readonly toolList: readonly CompiledTool[];
  readonly prompts: ReadonlyMap<string, PromptDefinition>;
  readonly resources: ReadonlyMap<string, ResourceDefinition>;
  readonly templates: readonly CompiledTemplate[];
  readonly capabilities: ServerCapabilities;
}

function unique<T>(items: readonly T[], key: (t: T) => string, what: string): Map<string, T> {
  const map = new Map<string, T>();
  items.forEach((item, i) => {
    const k = key(item);
    if (map.has(k)) throw new ConfigurationError(`duplicate ${what} ${k}`, `${what}s[${i}]`);
    map.set(k, item);
  });
  return map;
}

export function compileRegistry(defs: RegistryDefinitions): Registry {
  const toolList = defs.tools.map((t, i) => compileTool(t, i, defs.extensions));
  const tools = unique(toolList, (t) => t.name, 'tool');
  const promptList = defs.prompts ?? [];
  promptList.forEach((p, i) => {
    if (p.description.trim() === '') throw new ConfigurationError('description is required', `prompts[${i}] (${p.name})`);
  });
  const prompts = unique(promptList, (p) => p.name, 'prompt');
  const all = defs.resources ?? [];
  const resources = unique(
    all.filter((r): r is ResourceDefinition => r.kind === 'resource'),
    (r) => r.uri,
    'resource',
  );
  const templates = all
    .filter((r): r is ResourceTemplateDefinition => r.kind === 'resourceTemplate')
    .map((definition) => ({ definition, template: compileUriTemplate(definition.uriTemplate) }));
  const hasResources = resources.size > 0 || templates.length > 0;
  // Completion answers (possibly empty) for every prompt argument and template variable.
  const hasCompletions = prompts.size > 0 || templates.length > 0;

  return {
    tools,
    toolList,
    prompts,
    resources,
    templates,
    capabilities: {
      tools: { listChanged: true },
      ...(hasResources ? { resources: { subscribe: true, listChanged: true } } : {}),
      ...(prompts.size > 0 ? { prompts: { listChanged: true } } : {}),
      ...(hasCompletions ? { completions: {} } : {}),
      logging: {},
    },
  };
}
