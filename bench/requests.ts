import { isDeepStrictEqual } from 'node:util';
import { benchCall, benchTools } from './tools.js';

/**
 * The exact HTTP requests the benchmark sends (protocol revision 2026-07-28,
 * session-less), and the checks that each server answers them correctly
 * before anything is measured: a benchmark of error responses is worthless.
 */

export const PROTOCOL_REVISION = '2026-07-28';
export const CASES = ['tools/call', 'tools/list'] as const;
export type CaseName = (typeof CASES)[number];

/** The per-request envelope 2026-07-28 requires in every request's `_meta`. */
const ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': PROTOCOL_REVISION,
  'io.modelcontextprotocol/clientCapabilities': {},
};

export interface HttpRequestSpec {
  readonly method: 'POST';
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Builds one case's request; the JSON-RPC id is constant so every response body can be identical. */
export function requestFor(name: CaseName, token: string): HttpRequestSpec {
  const params = name === 'tools/call' ? { name: benchCall.name, arguments: benchCall.arguments, _meta: ENVELOPE } : { _meta: ENVELOPE };
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    accept: 'application/json, text/event-stream',
    authorization: `Bearer ${token}`,
    'mcp-protocol-version': PROTOCOL_REVISION,
    'mcp-method': name,
    ...(name === 'tools/call' ? { 'mcp-name': benchCall.name } : {}),
  };
  return { method: 'POST', headers, body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: name, params }) };
}

/** What a correct tools/call answers: the handler's output for the schema-parsed arguments (defaults applied). */
function expectedCallOutput(): Record<string, unknown> {
  const tool = benchTools.find((t) => t.name === benchCall.name);
  if (tool === undefined) throw new Error(`bench tool ${benchCall.name} is not defined`);
  return tool.handler(tool.input.parse(benchCall.arguments));
}

async function send(url: string, spec: HttpRequestSpec): Promise<{ status: number; contentType: string; text: string }> {
  const response = await fetch(url, { method: spec.method, headers: spec.headers, body: spec.body });
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text: await response.text() };
}

function checkResult(name: CaseName, result: Record<string, unknown>): string | undefined {
  if (name === 'tools/call') {
    if (result.isError === true) return `tool reported an error: ${JSON.stringify(result).slice(0, 300)}`;
    if (!isDeepStrictEqual(result.structuredContent, expectedCallOutput())) return `unexpected structuredContent ${JSON.stringify(result.structuredContent)}`;
    return undefined;
  }
  const tools = result.tools;
  if (!Array.isArray(tools)) return 'result.tools is not an array';
  const names = tools.map((t: { name?: unknown }) => t.name).sort();
  const expected = benchTools.map((t) => t.name).sort();
  return isDeepStrictEqual(names, expected) ? undefined : `tools/list names ${JSON.stringify(names)} differ from the ${expected.length} bench tools`;
}

/** A token a server must refuse with 401, and what is wrong with it (for the error message and the log). */
export interface Refusal {
  readonly why: string;
  readonly token: string;
}

/**
 * Verifies one server end to end for one case and returns the response body.
 * Also proves the auth is really enforced (no token, and each of `refused`,
 * is answered 401), so neither server is measured with a door left open.
 * Throws with the server's answer on any deviation.
 */
export async function verifyCase(label: string, url: string, name: CaseName, token: string, refused: readonly Refusal[]): Promise<{ body: string; deterministic: boolean }> {
  const spec = requestFor(name, token);
  const first = await send(url, spec);
  const fail = (why: string): never => {
    throw new Error(`${label} ${name}: ${why}\n  status ${first.status} ${first.contentType}\n  body ${first.text.slice(0, 600)}`);
  };
  if (first.status !== 200) fail('expected HTTP 200');
  if (!first.contentType.startsWith('application/json')) fail('expected a single JSON response (not SSE)');
  let message: { jsonrpc?: unknown; id?: unknown; result?: unknown; error?: unknown };
  try {
    message = JSON.parse(first.text) as typeof message;
  } catch {
    return fail('body is not JSON');
  }
  if (message.jsonrpc !== '2.0' || message.id !== 1) fail('not a JSON-RPC response to id 1');
  if (message.error !== undefined || typeof message.result !== 'object' || message.result === null) fail('expected a JSON-RPC result, got an error');
  const problem = checkResult(name, message.result as Record<string, unknown>);
  if (problem !== undefined) fail(problem);

  const { authorization: _drop, ...anonymous } = spec.headers;
  const noToken = await send(url, { ...spec, headers: anonymous });
  if (noToken.status !== 401) throw new Error(`${label}: a request without a token answered ${noToken.status}, expected 401`);
  for (const refusal of refused) {
    const wrong = await send(url, { ...spec, headers: { ...spec.headers, authorization: `Bearer ${refusal.token}` } });
    if (wrong.status !== 401) throw new Error(`${label}: ${refusal.why} answered ${wrong.status}, expected 401`);
  }

  // Identical repeat answers let the load run check every response byte for byte.
  const second = await send(url, spec);
  return { body: first.text, deterministic: second.status === 200 && second.text === first.text };
}
