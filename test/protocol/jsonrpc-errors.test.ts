import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { legacy, modern, send, startServer, type TestServer } from '../helpers/harness.js';
import { testTools } from '../helpers/test-tools.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ tools: testTools });
});
afterAll(() => server.close());

const post = (body: unknown) => send(server.gatehouse, { body });

describe('layer 2: JSON-RPC errors', () => {
  it('B-ERR-03: malformed JSON is -32700 with id null', async () => {
    const r = await send(server.gatehouse, { raw: '{"jsonrpc": "2.0", "id": 1,' });
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700, data: { code: 'parse_error' } } });
  });

  it('B-ERR-03: an empty body is -32700', async () => {
    const r = await send(server.gatehouse, { raw: '' });
    expect(r.json.error.code).toBe(-32700);
  });

  it('B-ERR-03: jsonrpc other than "2.0" is -32600 and echoes the id', async () => {
    const r = await post({ jsonrpc: '1.0', id: 1, method: 'ping' });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({
      jsonrpc: '2.0',
      id: 1,
      error: expect.objectContaining({ code: -32600, message: 'Invalid Request: missing or invalid jsonrpc version' }),
    });
  });

  it('B-ERR-03: a missing method is -32600', async () => {
    const r = await post({ jsonrpc: '2.0', id: 'a' });
    expect(r.json).toMatchObject({ id: 'a', error: { code: -32600, data: { field: 'method' } } });
  });

  it('B-ERR-03: a non-string method is -32600', async () => {
    const r = await post({ jsonrpc: '2.0', id: 2, method: 42 });
    expect(r.json).toMatchObject({ id: 2, error: { code: -32600 } });
  });

  it('B-ERR-03: a null or object id is -32600 with id null', async () => {
    for (const id of [null, { x: 1 }]) {
      const r = await post({ jsonrpc: '2.0', id, method: 'tools/list' });
      expect(r.json).toMatchObject({ id: null, error: { code: -32600 } });
    }
  });

  it('B-ERR-03: a batch is refused with -32600 (MCP has no batches since 2025-06-18)', async () => {
    const r = await post([{ jsonrpc: '2.0', id: 1, method: 'tools/list' }]);
    expect(r.json).toMatchObject({ id: null, error: { code: -32600 } });
  });

  it('B-ERR-03: an unknown method is -32601 naming it (HTTP 200 for 2025-11-25 clients)', async () => {
    const r = await legacy(server.gatehouse, 'some/unknown');
    expect(r.status).toBe(200);
    expect(r.json.error).toMatchObject({ code: -32601, message: 'Method not found: some/unknown' });
  });

  it('B-ERR-03: an unknown method is -32601 with HTTP 404 under 2026-07-28, as its transport requires', async () => {
    const r = await modern(server.gatehouse, 'some/unknown');
    expect(r.status).toBe(404);
    expect(r.json.error).toMatchObject({ code: -32601, message: 'Method not found: some/unknown' });
  });

  it('B-ERR-03: an unknown tool is -32602 "Unknown tool: NAME"', async () => {
    const r = await post({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'nonexistent_tool', arguments: {} } });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ id: 1, error: { code: -32602, message: 'Unknown tool: nonexistent_tool' } });
  });

  it('B-ERR-03: arguments that are not an object are -32602', async () => {
    for (const args of ['text', [1, 2], 5]) {
      const r = await post({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: args } });
      expect(r.json.error).toMatchObject({ code: -32602, message: 'Invalid params: arguments must be an object' });
    }
  });

  it('B-ERR-03: a tools/call without a name is -32602', async () => {
    const r = await post({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: {} });
    expect(r.json.error).toMatchObject({ code: -32602, data: { field: 'name' } });
  });

  it('B-ERR-03: params that are not an object are -32602', async () => {
    const r = await post({ jsonrpc: '2.0', id: 3, method: 'tools/list', params: [1] });
    expect(r.json).toMatchObject({ id: 3, error: { code: -32602 } });
  });

  it('B-ERR-01: JSON-RPC error data is the one public error object', async () => {
    const r = await post({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'nope' } });
    expect(r.json.error.data).toMatchObject({ error: 'invalid_params', code: 'invalid_params', retryable: false, request_id: r.headers.get('x-request-id') });
  });
});
