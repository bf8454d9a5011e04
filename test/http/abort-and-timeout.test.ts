import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { legacy, startServer, type TestServer } from '../helpers/harness.js';
import { observed, testTools } from '../helpers/test-tools.js';

let server: TestServer;
let port: number;
beforeAll(async () => {
  server = await startServer({ tools: testTools, port: 0, limits: { toolTimeoutMs: 300 } });
  ({ port } = await server.gatehouse.listen());
});
afterAll(() => server.close());

describe('handlers that hang', () => {
  it('B-ERR-06: a handler past its time limit is aborted and answered with a retryable timeout', async () => {
    observed.aborted = false;
    const r = await legacy(server.gatehouse, 'tools/call', { name: 'hang', arguments: {} });
    expect(r.json.result.isError).toBe(true);
    expect(r.json.result.structuredContent).toMatchObject({ code: 'timeout', retryable: true, timeout_ms: 300 });
    expect(observed.aborted).toBe(true);
  });

  it('B-ERR-06: a client that disconnects aborts the handler', async () => {
    observed.aborted = false;
    observed.abortReason = undefined;
    const slow = await startServer({ tools: testTools, port: 0, limits: { toolTimeoutMs: 60_000 } });
    const { port: slowPort } = await slow.gatehouse.listen();
    try {
      const req = request({
        host: '127.0.0.1',
        port: slowPort,
        path: '/mcp',
        method: 'POST',
        headers: { host: `localhost:${slowPort}`, 'content-type': 'application/json', accept: 'application/json' },
      });
      req.on('error', () => {});
      req.end(JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'hang', arguments: {} } }));
      await new Promise((r) => setTimeout(r, 200));
      req.destroy();
      const until = Date.now() + 3000;
      while (!observed.aborted && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      expect(observed.aborted).toBe(true);
    } finally {
      await slow.close();
    }
  });

  it('B-SRV-01: the real HTTP listener serves the same endpoint', async () => {
    const res = await fetch(`http://localhost:${port}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { text: 'wire' } } }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { result: { structuredContent: unknown } }).result.structuredContent).toEqual({ text: 'wire' });
  });
});
