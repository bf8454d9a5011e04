const SENTINEL = /^=\?base64\?(.*)\?=$/;
const CANONICAL_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes an `Mcp-Name` / `Mcp-Param-*` header value (2026-07-28 "Value
 * Encoding"): values that are not plain ASCII travel as `=?base64?…?=`.
 * Returns `undefined` for a malformed sentinel.
 */
export function decodeHeaderValue(raw: string): string | undefined {
  const m = SENTINEL.exec(raw);
  if (m === null) return raw;
  const payload = m[1] as string;
  if (!CANONICAL_BASE64.test(payload)) return undefined;
  try {
    return decoder.decode(Buffer.from(payload, 'base64'));
  } catch {
    return undefined;
  }
}
