import type { ContentBlock } from './content.js';

const TOOL_RESULT = Symbol.for('gatehouse.toolResult');

/**
 * An explicit tool result, for handlers that return content blocks rather
 * than data. Handlers that return plain data get it serialised for them.
 */
export interface ToolResult {
  readonly [TOOL_RESULT]: true;
  readonly content: readonly ContentBlock[];
  readonly structuredContent?: unknown;
  readonly isError?: boolean;
  readonly _meta?: Record<string, unknown>;
}

export function toolResult(result: {
  content: readonly ContentBlock[];
  structuredContent?: unknown;
  isError?: boolean;
  _meta?: Record<string, unknown>;
}): ToolResult {
  return { [TOOL_RESULT]: true, ...result };
}

export function isToolResult(value: unknown): value is ToolResult {
  return typeof value === 'object' && value !== null && TOOL_RESULT in value;
}
