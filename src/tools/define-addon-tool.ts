import type { z } from 'zod';
import { GatehouseError } from '../errors/gatehouse-error.js';
import { defineTool, type JsonSchemaToolConfig, type ToolDefinition, type ZodToolConfig } from './define-tool.js';

type AddonConfig<C> = Omit<C, 'handler' | 'addon'> & { readonly addon: string };

/**
 * Declares a tool that a client-side add-on serves (B-POL-07): Gatehouse
 * advertises it, runs the whole policy pipeline, and routes the call to the
 * caller's connected add-on. There is no server-side handler.
 */
export function defineAddonTool(config: AddonConfig<JsonSchemaToolConfig>): ToolDefinition;
export function defineAddonTool<I extends z.ZodType = z.ZodObject<Record<string, never>>, O extends z.ZodType | undefined = undefined>(
  config: AddonConfig<ZodToolConfig<I, O>>,
): ToolDefinition;
export function defineAddonTool(config: AddonConfig<JsonSchemaToolConfig> | AddonConfig<ZodToolConfig<z.ZodType, undefined>>): ToolDefinition {
  // The add-on stage always routes the call; reaching this means the pipeline was built without it.
  const handler = () => {
    throw new GatehouseError('internal_error', { cause: new Error(`tool ${config.name} is served by the ${config.addon} add-on, but no add-on stage routed it`) });
  };
  return defineTool({ ...config, handler } as JsonSchemaToolConfig);
}
