import { GatehouseError } from '../errors/gatehouse-error.js';
import type { HeaderSource } from './classify.js';
import type { CompiledTool } from './compile-tool.js';
import { decodeHeaderValue } from './header-value.js';

const NUMERIC = /^-?\d+(\.\d+)?$/;

function matches(type: string, header: string, value: unknown): boolean {
  if ((type === 'number' || type === 'integer') && typeof value === 'number' && NUMERIC.test(header)) return Number(header) === value;
  return header === String(value);
}

/**
 * Checks the `Mcp-Param-*` headers of a 2026-07-28 tools/call against its
 * arguments, for properties the tool mirrors with `x-mcp-header`. Absent or
 * null arguments need no header; a non-primitive value is left to validation.
 */
export function checkParamHeaders(tool: CompiledTool, args: Readonly<Record<string, unknown>>, headers: HeaderSource): GatehouseError | undefined {
  for (const { header, property, type } of tool.paramHeaders) {
    const value = args[property];
    if (value === undefined || value === null || typeof value === 'object') continue;
    const name = `Mcp-Param-${header}`;
    const raw = headers.get(name);
    const fail = (detail: string) => new GatehouseError('header_mismatch', { message: `Header mismatch: ${detail}`, details: { header: name } });
    if (raw === undefined || raw === null) return fail(`the body carries ${property}=${JSON.stringify(value)} but the ${name} header is absent`);
    const decoded = decodeHeaderValue(raw.trim());
    if (decoded === undefined) return fail(`the ${name} header carries an invalid Base64 sentinel value`);
    if (!matches(type, decoded, value)) return fail(`the ${name} header value does not match ${property}`);
  }
  return undefined;
}
