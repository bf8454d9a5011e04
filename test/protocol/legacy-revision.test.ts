import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LEGACY, initialize, legacy, send, startServer, type TestServer } from '../helpers/harness.js';
import { testTools } from '../helpers/test-tools.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ tools: testTools });
});
afterAll(() => server.close());

describe('2025-11-25: the initialize handshake', () => {
  it('B-SRV-01: initialize negotiates the version and opens a session', async () => {
    const r = await send(server.gatehouse, {
      body: { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: LEGACY, capabilities: {}, clientInfo: { name: 't', version: '1' } } },
    });
    expect(r.json.result).toEqual({
      protocolVersion: LEGACY,
      capabilities: { tools: { listChanged: true }, logging: {} },
      serverInfo: { name: 'test-server', version: '0.0.1' },
    });
    expect(r.headers.get('mcp-session-id')).toMatch(/^[\x21-\x7e]{20,}$/);
  });

  it('B-SRV-01: an unknown requested version gets our latest as a counter-offer, never an error', async () => {
    const r = await send(server.gatehouse, { body: { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2024-11-05', capabilities: {} } } });
    expect(r.json.result.protocolVersion).toBe(LEGACY);
  });

  it('B-SRV-01: results carry no 2026-07-28 fields; ping is exactly {}', async () => {
    const session = await initialize(server.gatehouse);
    const ping = await legacy(server.gatehouse, 'ping', {}, { session });
    expect(ping.json.result).toEqual({});
    const list = await legacy(server.gatehouse, 'tools/list', {}, { session });
    expect(Object.keys(list.json.result)).toEqual(['tools']);
  });

  it('B-SRV-01: an unsupported MCP-Protocol-Version header is refused with 400', async () => {
    const r = await legacy(server.gatehouse, 'tools/list', {}, { headers: { 'mcp-protocol-version': '2024-01-01' } });
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({ code: -32022, data: { requested: '2024-01-01' } });
  });

  it('B-SRV-01: requests without a session are served statelessly (plain JSON-RPC over HTTP works)', async () => {
    const r = await send(server.gatehouse, { headers: { accept: 'application/json' }, body: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' } } } });
    expect(r.json.result.structuredContent).toEqual({ text: 'hi' });
  });

  it('B-SRV-01: logging/setLevel is remembered by the session', async () => {
    const session = await initialize(server.gatehouse);
    expect((await legacy(server.gatehouse, 'logging/setLevel', { level: 'debug' }, { session })).json.result).toEqual({});
    const bad = await legacy(server.gatehouse, 'logging/setLevel', { level: 'loud' }, { session });
    expect(bad.json.error.code).toBe(-32602);
    const call = await legacy(server.gatehouse, 'tools/call', { name: 'steps', arguments: {} }, { session });
    expect(call.events.some((e) => e.method === 'notifications/message')).toBe(true);
  });

  it('B-SRV-01: DELETE ends the session; later requests with it are 404', async () => {
    const session = await initialize(server.gatehouse);
    const del = await send(server.gatehouse, { method: 'DELETE', headers: { 'mcp-session-id': session } });
    expect(del.status).toBe(204);
    const after = await legacy(server.gatehouse, 'tools/list', {}, { session });
    expect(after.status).toBe(404);
    expect(after.json).toMatchObject({ code: 'session_not_found' });
  });

  it('B-SRV-01: an unknown session id is 404', async () => {
    const r = await legacy(server.gatehouse, 'tools/list', {}, { session: 'not-a-session' });
    expect(r.status).toBe(404);
  });

  it('B-SRV-01: elicitation in a session is a real server-to-client request answered by a later POST', async () => {
    const session = await initialize(server.gatehouse, { elicitation: {} });
    const res = await server.gatehouse.fetch(
      new Request('http://localhost:8787/mcp', {
        method: 'POST',
        headers: { host: 'localhost:8787', 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': session, 'mcp-protocol-version': LEGACY },
        body: JSON.stringify({ jsonrpc: '2.0', id: 99, method: 'tools/call', params: { name: 'ask_name', arguments: {} } }),
      }),
    );
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffered = '';
    const nextMessage = async () => {
      while (!buffered.includes('\n\n')) buffered += decoder.decode((await reader.read()).value);
      const [frame, ...rest] = buffered.split('\n\n');
      buffered = rest.join('\n\n');
      return JSON.parse(frame!.split('data: ')[1]!);
    };
    const request = await nextMessage();
    expect(request).toMatchObject({ method: 'elicitation/create', params: { message: 'Your name?' } });
    const answer = await send(server.gatehouse, { headers: { 'mcp-session-id': session }, body: { jsonrpc: '2.0', id: request.id, result: { action: 'accept', content: { name: 'Grace' } } } });
    expect(answer.status).toBe(202);
    expect((await nextMessage()).result.structuredContent).toEqual({ greeting: 'Hello, Grace', state: { round: 1 } });
  });

  it('B-SRV-01: without a session a tool that needs input says so instead of hanging', async () => {
    const r = await legacy(server.gatehouse, 'tools/call', { name: 'ask_name', arguments: {} });
    expect(r.json.result.isError).toBe(true);
    expect(r.json.result.structuredContent.code).toBe('missing_client_capability');
  });
});
