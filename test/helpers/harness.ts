import { createGatehouse, createLogger, type Gatehouse, type GatehouseOptions } from '../../src/index.js';

export const MODERN = '2026-07-28';
export const LEGACY = '2025-11-25';
export const HOST = 'localhost:8787';
export const BASE = `http://${HOST}`;

export const envelope = (extra: Record<string, unknown> = {}) => ({
  'io.modelcontextprotocol/protocolVersion': MODERN,
  'io.modelcontextprotocol/clientCapabilities': {},
  'io.modelcontextprotocol/clientInfo': { name: 'gatehouse-tests', version: '1.0.0' },
  ...extra,
});

export interface TestServer {
  readonly gatehouse: Gatehouse;
  /** Every log line written so far, parsed. */
  readonly logs: Record<string, unknown>[];
  close(): Promise<void>;
}

/** A Gatehouse on an in-memory store, its JSON log captured for assertions. */
export async function startServer(options: Partial<GatehouseOptions> & Pick<GatehouseOptions, 'tools'>): Promise<TestServer> {
  const logs: Record<string, unknown>[] = [];
  const logger = createLogger({ level: 'debug', destination: { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) } });
  const gatehouse = await createGatehouse({
    name: 'test-server',
    version: '0.0.1',
    auth: { kind: 'insecure-none', organizationId: 'org_acme' },
    store: { kind: 'sqlite', file: ':memory:' },
    logger,
    ...options,
  });
  return { gatehouse, logs, close: () => gatehouse.close() };
}

export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed JSON body, or the last JSON-RPC message of an SSE body. */
  readonly json: any;
  /** Every JSON-RPC message of an SSE body. */
  readonly events: any[];
}

export function parseSse(text: string): any[] {
  return text
    .split('\n\n')
    .map((frame) => frame.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n'))
    .filter((data) => data !== '')
    .map((data) => JSON.parse(data));
}

export async function send(gatehouse: Gatehouse, init: { method?: string; headers?: Record<string, string>; body?: unknown; raw?: string }): Promise<Reply> {
  const headers: Record<string, string> = { host: HOST, 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...init.headers };
  const body = init.raw ?? (init.body === undefined ? undefined : JSON.stringify(init.body));
  const res = await gatehouse.fetch(new Request(`${BASE}/mcp`, { method: init.method ?? 'POST', headers, ...(body === undefined ? {} : { body }) }));
  const text = await res.text();
  const isSse = (res.headers.get('content-type') ?? '').startsWith('text/event-stream');
  const events = isSse ? parseSse(text) : [];
  let json: any;
  try {
    json = isSse ? events.at(-1) : text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, json, events };
}

let nextId = 1;

/** A 2026-07-28 request with the envelope and the headers the transport requires. */
export function modern(gatehouse: Gatehouse, method: string, params: Record<string, unknown> = {}, options: { headers?: Record<string, string>; meta?: Record<string, unknown> } = {}) {
  const name = method === 'resources/read' ? params.uri : params.name;
  const headers: Record<string, string> = { 'mcp-protocol-version': MODERN, 'mcp-method': method, ...(typeof name === 'string' ? { 'mcp-name': name } : {}), ...options.headers };
  return send(gatehouse, { headers, body: { jsonrpc: '2.0', id: nextId++, method, params: { ...params, _meta: envelope(options.meta) } } });
}

/** A 2025-11-25 request (no envelope), optionally inside a session. */
export function legacy(gatehouse: Gatehouse, method: string, params: Record<string, unknown> = {}, options: { session?: string; headers?: Record<string, string> } = {}) {
  const headers: Record<string, string> = { 'mcp-protocol-version': LEGACY, ...(options.session === undefined ? {} : { 'mcp-session-id': options.session }), ...options.headers };
  return send(gatehouse, { headers, body: { jsonrpc: '2.0', id: nextId++, method, params } });
}

/** Opens a 2025-11-25 session and returns its id. */
export async function initialize(gatehouse: Gatehouse, capabilities: Record<string, unknown> = {}, headers: Record<string, string> = {}): Promise<string> {
  const reply = await send(gatehouse, {
    headers,
    body: { jsonrpc: '2.0', id: nextId++, method: 'initialize', params: { protocolVersion: LEGACY, capabilities, clientInfo: { name: 'gatehouse-tests', version: '1.0.0' } } },
  });
  const id = reply.headers.get('mcp-session-id');
  if (reply.status !== 200 || id === null) throw new Error(`initialize failed: ${reply.status} ${reply.text}`);
  return id;
}
