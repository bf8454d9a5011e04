import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MODERN, envelope, modern, send, startServer, type TestServer } from '../helpers/harness.js';
import { testTools } from '../helpers/test-tools.js';
import { BUILTIN_TOOL_NAMES } from '../../src/tenancy/builtin-tools.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ tools: testTools });
});
afterAll(() => server.close());

const SERVER_INFO = 'io.modelcontextprotocol/serverInfo';

describe('2026-07-28: session-less requests with a per-request envelope', () => {
  it('B-SRV-01: server/discover names the versions, capabilities and server, with cache hints', async () => {
    const r = await modern(server.gatehouse, 'server/discover');
    expect(r.status).toBe(200);
    expect(r.json.result).toMatchObject({
      resultType: 'complete',
      supportedVersions: [MODERN, '2025-11-25', '2025-06-18'],
      capabilities: { tools: { listChanged: true } },
      ttlMs: 0,
      cacheScope: 'private',
      _meta: { [SERVER_INFO]: { name: 'test-server', version: '0.0.1' } },
    });
    expect(r.headers.get('mcp-session-id')).toBeNull();
  });

  it('B-SRV-01: tools/list carries resultType and caching hints and lists tools in declaration order', async () => {
    const r = await modern(server.gatehouse, 'tools/list');
    expect(r.json.result.tools.map((t: { name: string }) => t.name)).toEqual([...testTools.map((t) => t.name), ...BUILTIN_TOOL_NAMES]);
    expect(r.json.result).toMatchObject({ resultType: 'complete', ttlMs: 0, cacheScope: 'private' });
    expect(r.json.result.tools[1].inputSchema).toMatchObject({ type: 'object', required: ['email'] });
  });

  it('B-SRV-01: a missing envelope key is -32602 with HTTP 400', async () => {
    const r = await send(server.gatehouse, {
      headers: { 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/list' },
      body: { jsonrpc: '2.0', id: 7, method: 'tools/list', params: { _meta: { 'io.modelcontextprotocol/protocolVersion': MODERN } } },
    });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ id: 7, error: { code: -32602, data: { envelope: { key: 'io.modelcontextprotocol/clientCapabilities', problem: 'missing' } } } });
  });

  it('B-SRV-01: the 2026-07-28 header without an envelope is -32602 with HTTP 400', async () => {
    const r = await send(server.gatehouse, { headers: { 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/list' }, body: { jsonrpc: '2.0', id: 8, method: 'tools/list' } });
    expect(r.status).toBe(400);
    expect(r.json.error.code).toBe(-32602);
  });

  it('B-SRV-01: an unsupported version is -32022 with HTTP 400 listing the supported ones', async () => {
    const r = await send(server.gatehouse, {
      headers: { 'mcp-protocol-version': 'v999.0.0', 'mcp-method': 'server/discover' },
      body: { jsonrpc: '2.0', id: 9, method: 'server/discover', params: { _meta: { ...envelope(), 'io.modelcontextprotocol/protocolVersion': 'v999.0.0' } } },
    });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ id: 9, error: { code: -32022, data: { requested: 'v999.0.0', supported: expect.arrayContaining([MODERN]) } } });
  });

  it('B-SRV-01: MCP-Protocol-Version, Mcp-Method and Mcp-Name must repeat the body (-32020, HTTP 400)', async () => {
    const cases: Record<string, string>[] = [
      { 'mcp-method': 'tools/call', 'mcp-name': 'echo' },
      { 'mcp-protocol-version': '2025-11-25', 'mcp-method': 'tools/call', 'mcp-name': 'echo' },
      { 'mcp-protocol-version': MODERN, 'mcp-name': 'echo' },
      { 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/list', 'mcp-name': 'echo' },
      { 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/call' },
      { 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/call', 'mcp-name': 'other' },
      { 'mcp-protocol-version': MODERN, 'mcp-method': 'TOOLS/CALL', 'mcp-name': 'echo' },
    ];
    for (const headers of cases) {
      const r = await send(server.gatehouse, { headers, body: { jsonrpc: '2.0', id: 10, method: 'tools/call', params: { name: 'echo', arguments: { text: 'x' }, _meta: envelope() } } });
      expect(r.status, JSON.stringify(headers)).toBe(400);
      expect(r.json).toMatchObject({ id: 10, error: { code: -32020, data: { code: 'header_mismatch' } } });
    }
  });

  it('B-SRV-01: a base64-encoded Mcp-Name is decoded before comparing', async () => {
    const r = await modern(server.gatehouse, 'tools/call', { name: 'echo', arguments: { text: 'hi' } }, { headers: { 'mcp-name': `=?base64?${Buffer.from('echo').toString('base64')}?=` } });
    expect(r.status).toBe(200);
    expect(r.json.result.structuredContent).toEqual({ text: 'hi' });
  });

  it('B-SRV-01: methods removed in 2026-07-28 are -32601 with HTTP 404 even with the envelope', async () => {
    for (const method of ['initialize', 'ping', 'logging/setLevel', 'resources/subscribe']) {
      const r = await modern(server.gatehouse, method);
      expect(r.status, method).toBe(404);
      expect(r.json.error.code).toBe(-32601);
    }
  });

  it('B-SRV-01: progress notifications stream on SSE before the result', async () => {
    const r = await modern(server.gatehouse, 'tools/call', { name: 'steps', arguments: {} }, { meta: { progressToken: 'p-1', 'io.modelcontextprotocol/logLevel': 'info' } });
    expect(r.headers.get('content-type')).toBe('text/event-stream');
    expect(r.events.map((e) => e.method ?? 'result')).toEqual(['notifications/message', 'notifications/progress', 'notifications/progress', 'result']);
    expect(r.events[1].params).toEqual({ progressToken: 'p-1', progress: 1, total: 2, message: 'half' });
    expect(r.json.result.structuredContent).toEqual({ ok: true });
  });

  it('B-SRV-01: without a log level in _meta no notifications/message is sent', async () => {
    const r = await modern(server.gatehouse, 'tools/call', { name: 'steps', arguments: {} });
    expect(r.headers.get('content-type')).toBe('application/json');
    expect(r.json.result.structuredContent).toEqual({ ok: true });
  });

  it('B-SRV-01: a client that only accepts JSON gets JSON, without the notifications', async () => {
    const r = await modern(server.gatehouse, 'tools/call', { name: 'steps', arguments: {} }, { headers: { accept: 'application/json' }, meta: { progressToken: 'p-2' } });
    expect(r.headers.get('content-type')).toBe('application/json');
    expect(r.json.result.structuredContent).toEqual({ ok: true });
  });

  it('B-SRV-01: an input-required result carries a sealed requestState; the retry completes', async () => {
    const caps = { 'io.modelcontextprotocol/clientCapabilities': { elicitation: {} } };
    const first = await modern(server.gatehouse, 'tools/call', { name: 'ask_name', arguments: {} }, { meta: caps });
    expect(first.json.result).toMatchObject({ resultType: 'input_required', inputRequests: { name: { method: 'elicitation/create' } } });
    const state = first.json.result.requestState as string;
    expect(state).toMatch(/^v1\./);
    const second = await modern(
      server.gatehouse,
      'tools/call',
      { name: 'ask_name', arguments: {}, requestState: state, inputResponses: { name: { action: 'accept', content: { name: 'Ada' } } } },
      { meta: caps },
    );
    expect(second.json.result.structuredContent).toEqual({ greeting: 'Hello, Ada', state: { round: 1 } });
  });

  it('B-SRV-01: a tampered requestState is refused with -32602', async () => {
    const caps = { 'io.modelcontextprotocol/clientCapabilities': { elicitation: {} } };
    const first = await modern(server.gatehouse, 'tools/call', { name: 'ask_name', arguments: {} }, { meta: caps });
    const tampered = `${first.json.result.requestState as string}x`;
    const r = await modern(server.gatehouse, 'tools/call', { name: 'ask_name', arguments: {}, requestState: tampered, inputResponses: {} }, { meta: caps });
    expect(r.json.error).toMatchObject({ code: -32602, message: 'Invalid or expired requestState', data: { reason: 'invalid_request_state' } });
  });

  it('B-SRV-01: asking for input the client did not declare is -32021 with HTTP 400', async () => {
    const r = await modern(server.gatehouse, 'tools/call', { name: 'ask_name', arguments: {} });
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({ code: -32021, data: { requiredCapabilities: { elicitation: { form: {} } } } });
  });

  it('B-SRV-01: subscriptions/listen acknowledges first, tags every frame, and delivers list changes', async () => {
    const res = await server.gatehouse.fetch(
      new Request('http://localhost:8787/mcp', {
        method: 'POST',
        headers: { host: 'localhost:8787', 'content-type': 'application/json', accept: 'text/event-stream', 'mcp-protocol-version': MODERN, 'mcp-method': 'subscriptions/listen' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 'listen-1', method: 'subscriptions/listen', params: { _meta: envelope(), notifications: { toolsListChanged: true, promptsListChanged: true } } }),
      }),
    );
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    const next = async () => JSON.parse(decoder.decode((await reader.read()).value).split('data: ')[1]!);
    const ack = await next();
    // prompts were requested but this server has none: only what it can honour is acknowledged.
    expect(ack).toEqual({
      jsonrpc: '2.0',
      method: 'notifications/subscriptions/acknowledged',
      params: { notifications: { toolsListChanged: true }, _meta: { 'io.modelcontextprotocol/subscriptionId': 'listen-1' } },
    });
    server.gatehouse.notify.promptsChanged();
    server.gatehouse.notify.toolsChanged();
    expect(await next()).toEqual({ jsonrpc: '2.0', method: 'notifications/tools/list_changed', params: { _meta: { 'io.modelcontextprotocol/subscriptionId': 'listen-1' } } });
    await reader.cancel();
  });
});
