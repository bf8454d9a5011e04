import { toErrorBody } from '../errors/error-body.js';
import type { GatehouseError } from '../errors/gatehouse-error.js';
import { isToolResult } from '../tools/tool-result.js';

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
  | { readonly result: ToolCallResult }
  /** The serialised result object minus its closing brace, ready for the revision's suffix. */
  | { readonly open: string };

/**
 * Encodes what a handler returned. Plain data becomes `structuredContent`
 * plus its JSON text, serialised once (the hot path). The pipeline's
 * `check-output` stage has already held it to the declared output schema.
 */
export function encodeToolValue(value: unknown): EncodedToolValue {
  if (isToolResult(value)) {
    const { content, structuredContent, isError, _meta } = value;
    return {
      result: {
        content,
        ...(structuredContent === undefined ? {} : { structuredContent }),
        ...(isError === true ? { isError: true } : {}),
        ...(_meta === undefined ? {} : { _meta }),
      },
    };
  }
  if (typeof value === 'string') return { result: { content: [{ type: 'text', text: value }] } };
  if (value === undefined) return { result: { content: [] } };
  const data = JSON.stringify(value);
  const text = `{"content":[{"type":"text","text":${JSON.stringify(data)}}]`;
  return { open: isPlainObject(value) ? `${text},"structuredContent":${data}` : text };
}
