import { toErrorBody } from '../errors/error-body.js';
import { GatehouseError } from '../errors/gatehouse-error.js';
import { isToolResult } from '../tools/tool-result.js';
import type { CompiledTool } from './compile-tool.js';

type ToolCallResult = Record<string, unknown>;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Layer-3 encoder: a catalogue error as an `isError` tool result, with the
 * error object both as JSON text (for models) and as `structuredContent` (B-ERR-04).
 */
export function encodeToolError(err: GatehouseError, requestId: string): ToolCallResult {
  const body = toErrorBody(err, requestId);
  return { content: [{ type: 'text', text: JSON.stringify(body) }], structuredContent: body, isError: true };
}

export type EncodedToolValue =
  /** A result object, for callers that still add fields to it. */
  | { readonly ok: true; readonly result: ToolCallResult }
  /** The serialised result object minus its closing brace, ready for the revision's suffix. */
  | { readonly ok: true; readonly open: string }
  | { readonly ok: false; readonly error: GatehouseError };

/**
 * Encodes what a handler returned. Plain data becomes `structuredContent`
 * plus its JSON text, serialised once (the hot path); a declared output schema
 * is enforced, because a client validates against it and a mismatch is our
 * bug, not the caller's.
 */
export function encodeToolValue(tool: CompiledTool, value: unknown): EncodedToolValue {
  if (isToolResult(value)) {
    const { content, structuredContent, isError, _meta } = value;
    return {
      ok: true,
      result: {
        content,
        ...(structuredContent === undefined ? {} : { structuredContent }),
        ...(isError === true ? { isError: true } : {}),
        ...(_meta === undefined ? {} : { _meta }),
      },
    };
  }
  if (tool.validateOutput !== undefined) {
    const checked = tool.validateOutput(value);
    if (!checked.ok) {
      return {
        ok: false,
        error: new GatehouseError('internal_error', { cause: new Error(`tool ${tool.name} returned output that does not match its output schema: ${checked.error.message}`) }),
      };
    }
    value = checked.value;
  }
  if (typeof value === 'string') return { ok: true, result: { content: [{ type: 'text', text: value }] } };
  if (value === undefined) return { ok: true, result: { content: [] } };
  const data = JSON.stringify(value);
  const text = `{"content":[{"type":"text","text":${JSON.stringify(data)}}]`;
  return { ok: true, open: isPlainObject(value) ? `${text},"structuredContent":${data}` : text };
}
