import { z } from 'zod';
import type { InputRequired } from './input-required.js';
import type { ToolContext } from './tool-context.js';
import type { ToolPolicy } from './tool-policy.js';
import type { ToolResult } from './tool-result.js';

/** MCP tool annotations: hints for clients, advertised in `tools/list`. */
export interface ToolAnnotations {
  readonly title?: string;
  readonly readOnlyHint?: boolean;
  readonly destructiveHint?: boolean;
  readonly idempotentHint?: boolean;
  readonly openWorldHint?: boolean;
}

const EMPTY_OBJECT = z.object({});

/** A JSON Schema (2020-12) object schema, kept verbatim in `tools/list`. */
export type JsonSchemaObject = Readonly<Record<string, unknown>> & { readonly type: 'object' };

interface ToolBase extends ToolPolicy {
  /** 1–128 characters of `A-Z a-z 0-9 _ - .`; unique within the server. */
  readonly name: string;
  readonly title?: string;
  /** What the tool does, for the model. Required: clients and models rely on it. */
  readonly description: string;
  readonly annotations?: ToolAnnotations;
  readonly _meta?: Readonly<Record<string, unknown>>;
  /**
   * Scope the credential must carry (one of the access model's scopes). Without
   * it the tool is absent from `tools/list` and a call is refused with
   * `insufficient_scope` naming it (B-TEN-02). Default: none beyond the
   * endpoint's required scope.
   */
  readonly scope?: string;
  /**
   * Least powerful role allowed, on top of the scope, in the access model's
   * order (most powerful first): `owner` admits owners only, `admin` owners and
   * admins. Others get `forbidden` (B-TEN-03). Default: any role.
   */
  readonly minRole?: string;
  /**
   * `organization` (default): the tool acts inside one organization; in the
   * `per-call` tenancy mode it takes the workspace argument. `none`: the tool
   * needs no organization (`whoami`, `list_organizations`).
   */
  readonly tenant?: 'organization' | 'none';
  /**
   * The tool works on one profile inside the organization (a brand, a sender):
   * without the argument Gatehouse picks the only profile, or answers
   * `profile_required` listing them (B-TEN-06). `list` defaults to Gatehouse's
   * own profiles of the organization.
   */
  readonly profile?: ToolProfile;
}

/** How a tool names its profile and where the organization's profiles come from. */
export interface ToolProfile {
  /** The argument that carries the profile id, e.g. `profile_id`. */
  readonly parameter: string;
  readonly list?: (organizationId: string, ctx: ToolContext) => Promise<readonly { id: string; name: string }[]>;
}

/** What a handler may return: its declared output, explicit content, or a request for input. */
export type ToolReturn<O> = O | ToolResult | InputRequired;

/** Without an output schema a handler may return any JSON value. */
type HandlerReturn<O> = [O] extends [undefined] ? unknown : O extends z.ZodType ? ToolReturn<z.input<O>> : unknown;

export interface ZodToolConfig<I extends z.ZodType, O extends z.ZodType | undefined> extends ToolBase {
  /** Input schema; must describe a JSON object. Validation failures become `invalid_input` naming the field. */
  readonly input?: I;
  /** Output schema; results are checked against it and sent as `structuredContent`. */
  readonly output?: O;
  readonly handler: (
    input: z.output<I>,
    ctx: ToolContext,
  ) => Promise<HandlerReturn<O>> | HandlerReturn<O>;
}

export interface JsonSchemaToolConfig extends ToolBase {
  /** Input as a raw JSON Schema (validated with Ajv, advertised verbatim). */
  readonly inputSchema: JsonSchemaObject;
  readonly outputSchema?: JsonSchemaObject;
  readonly handler: (input: Record<string, unknown>, ctx: ToolContext) => unknown;
}

/** The normalised definition the registry compiles. */
export interface ToolDefinition extends ToolBase {
  readonly kind: 'tool';
  readonly input: { readonly zod: z.ZodType } | { readonly jsonSchema: JsonSchemaObject };
  readonly output?: { readonly zod: z.ZodType } | { readonly jsonSchema: JsonSchemaObject };
  readonly handler: (input: never, ctx: ToolContext) => unknown;
}

/**
 * Declares a tool once: its schema, documentation, policy and handler. Each
 * policy field is enforced by a stage of the pipeline, never accepted and ignored.
 */
export function defineTool(config: JsonSchemaToolConfig): ToolDefinition;
export function defineTool<I extends z.ZodType = z.ZodObject<Record<string, never>>, O extends z.ZodType | undefined = undefined>(
  config: ZodToolConfig<I, O>,
): ToolDefinition;
export function defineTool(config: ZodToolConfig<z.ZodType, z.ZodType | undefined> | JsonSchemaToolConfig): ToolDefinition {
  const { handler, ...rest } = config;
  // Everything but the schemas and the handler is declarative data, kept as given.
  const { input: _input, output: _output, inputSchema: _inputSchema, outputSchema: _outputSchema, ...base } = rest as typeof rest & Partial<ZodToolConfig<z.ZodType, undefined> & JsonSchemaToolConfig>;
  if ('inputSchema' in config) {
    return {
      kind: 'tool',
      ...base,
      input: { jsonSchema: config.inputSchema },
      ...(config.outputSchema === undefined ? {} : { output: { jsonSchema: config.outputSchema } }),
      handler: handler,
    };
  }
  const zc = config;
  return {
    kind: 'tool',
    ...base,
    input: { zod: zc.input ?? EMPTY_OBJECT },
    ...(zc.output === undefined ? {} : { output: { zod: zc.output } }),
    handler: handler,
  };
}
