import { z } from 'zod';
import { ConfigurationError } from '../errors/configuration-error.js';
import type { ToolDefinition } from '../tools/define-tool.js';
import { jsonSchemaValidator, zodValidator, type InputValidator } from './input-validator.js';

const TOOL_NAME = /^[A-Za-z0-9_.-]{1,128}$/;
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** A tool argument mirrored in an `Mcp-Param-{header}` request header (2026-07-28 `x-mcp-header`). */
export interface ParamHeader {
  readonly header: string;
  readonly property: string;
  readonly type: 'string' | 'number' | 'integer' | 'boolean';
}

/** Everything about a tool that can be worked out once, at start-up. */
export interface CompiledTool {
  readonly name: string;
  readonly definition: ToolDefinition;
  /** The `tools/list` entry. */
  readonly descriptor: Readonly<Record<string, unknown>>;
  readonly validateInput: InputValidator;
  readonly validateOutput: InputValidator | undefined;
  readonly paramHeaders: readonly ParamHeader[];
}

function toJsonSchema(schema: z.ZodType, io: 'input' | 'output', path: string): Record<string, unknown> {
  try {
    return z.toJSONSchema(schema, { target: 'draft-2020-12', io });
  } catch (cause) {
    throw new ConfigurationError(`cannot be expressed as JSON Schema (${(cause as Error).message})`, path);
  }
}

function scanParamHeaders(schema: Record<string, unknown>, path: string): ParamHeader[] {
  const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>;
  const seen = new Set<string>();
  const out: ParamHeader[] = [];
  for (const [property, prop] of Object.entries(properties)) {
    const header = prop['x-mcp-header'];
    if (header === undefined) continue;
    const type = prop.type;
    if (typeof header !== 'string' || !HEADER_NAME.test(header)) {
      throw new ConfigurationError(`x-mcp-header of ${property} must be an HTTP token`, path);
    }
    if (type !== 'string' && type !== 'number' && type !== 'integer' && type !== 'boolean') {
      throw new ConfigurationError(`x-mcp-header is only allowed on string, number, integer or boolean properties (${property})`, path);
    }
    if (seen.has(header.toLowerCase())) throw new ConfigurationError(`duplicate x-mcp-header ${header}`, path);
    seen.add(header.toLowerCase());
    out.push({ header, property, type });
  }
  return out;
}

type Properties = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

/** What the server adds to tools' schemas: arguments (the workspace, `confirm`, …) and result fields (`meta`). */
export interface SchemaExtensions {
  readonly arguments?: (def: ToolDefinition) => Properties;
  /** Added to a declared output schema, so clients that validate results accept them. */
  readonly output?: (def: ToolDefinition) => Properties;
}

function extend(schema: Record<string, unknown>, extra: Properties, path: string): void {
  if (Object.keys(extra).length === 0) return;
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  for (const name of Object.keys(extra)) {
    if (name in properties) throw new ConfigurationError(`declares ${name}, which Gatehouse adds itself`, path);
  }
  schema.properties = { ...properties, ...extra };
}

/**
 * @param extensions what the server adds to the tool's advertised schemas; the
 * pipeline takes added arguments out again before the tool's own schema sees them.
 */
export function compileTool(def: ToolDefinition, index: number, extensions: SchemaExtensions = {}): CompiledTool {
  const path = `tools[${index}] (${def.name})`;
  if (!TOOL_NAME.test(def.name)) throw new ConfigurationError('name must be 1-128 characters of A-Z a-z 0-9 _ - .', path);
  if (def.description.trim() === '') throw new ConfigurationError('description is required', path);

  const inputSchema = 'zod' in def.input ? toJsonSchema(def.input.zod, 'input', path) : { ...def.input.jsonSchema };
  if (inputSchema.type !== 'object') throw new ConfigurationError('input must describe a JSON object', path);
  const validateInput = 'zod' in def.input ? zodValidator(def.input.zod) : jsonSchemaValidator(def.input.jsonSchema);

  let outputSchema: Record<string, unknown> | undefined;
  let validateOutput: InputValidator | undefined;
  if (def.output !== undefined) {
    outputSchema = 'zod' in def.output ? toJsonSchema(def.output.zod, 'output', path) : { ...def.output.jsonSchema };
    if (outputSchema.type !== 'object') throw new ConfigurationError('output must describe a JSON object', path);
    validateOutput = 'zod' in def.output ? zodValidator(def.output.zod) : jsonSchemaValidator(def.output.jsonSchema);
  }

  extend(inputSchema, extensions.arguments?.(def) ?? {}, path);
  if (outputSchema !== undefined) extend(outputSchema, extensions.output?.(def) ?? {}, path);

  const descriptor: Record<string, unknown> = { name: def.name };
  if (def.title !== undefined) descriptor.title = def.title;
  descriptor.description = def.description;
  descriptor.inputSchema = inputSchema;
  if (outputSchema !== undefined) descriptor.outputSchema = outputSchema;
  if (def.annotations !== undefined) descriptor.annotations = def.annotations;
  if (def._meta !== undefined) descriptor._meta = def._meta;

  return {
    name: def.name,
    definition: def,
    descriptor,
    validateInput,
    validateOutput,
    paramHeaders: scanParamHeaders(inputSchema, path),
  };
}
