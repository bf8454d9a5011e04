import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { modern, send, startServer, type TestServer } from '../helpers/harness.js';
import { testTools } from '../helpers/test-tools.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ tools: testTools, limits: { maxBodyBytes: 2048 } });
});
afterAll(() => server.close());

describe('layer 1: HTTP refusals before any JSON-RPC processing', () => {
  it('B-ERR-02: a method /mcp does not serve is 405 with Allow', async () => {
    for (const method of ['PUT', 'PATCH']) {
      const r = await send(server.gatehouse, { method, body: {} });
      expect(r.status).toBe(405);
      expect(r.headers.get('allow')).toBe('GET, POST, DELETE, OPTIONS');
      expect(r.json).toMatchObject({ code: 'method_not_allowed', retryable: false });
    }
  });

  it('B-ERR-02: GET and DELETE without a 2025-11-25 session are 405 with Allow: POST', async () => {
    for (const method of ['GET', 'DELETE']) {
      const r = await send(server.gatehouse, { method });
      expect(r.status).toBe(405);
      expect(r.headers.get('allow')).toContain('POST');
      expect(r.json.message).toContain('Mcp-Session-Id');
    }
  });

  it('B-ERR-02: a wrong content type is 415', async () => {
    const r = await send(server.gatehouse, { headers: { 'content-type': 'text/plain' }, raw: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}' });
    expect(r.status).toBe(415);
    expect(r.json).toMatchObject({ code: 'unsupported_media_type' });
  });

  it('B-ERR-02: a missing content type is 415', async () => {
    const r = await send(server.gatehouse, { headers: { 'content-type': '' }, raw: '{}' });
    expect(r.status).toBe(415);
  });

  it('B-ERR-02: application/json with a charset is accepted', async () => {
    const r = await send(server.gatehouse, { headers: { 'content-type': 'application/json; charset=utf-8' }, body: { jsonrpc: '2.0', id: 1, method: 'tools/list' } });
    expect(r.status).toBe(200);
  });

  it('B-ERR-02: a body over the limit is 413 and names the limit', async () => {
    const r = await send(server.gatehouse, { body: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { text: 'x'.repeat(5000) } } } });
    expect(r.status).toBe(413);
    expect(r.json).toMatchObject({ code: 'payload_too_large', limit_bytes: 2048 });
  });

  it('B-ERR-02: a chunked body over the limit is 413 without reading it whole', async () => {
    const chunks = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < 10; i++) c.enqueue(new TextEncoder().encode('x'.repeat(1000)));
        c.close();
      },
    });
    const res = await server.gatehouse.fetch(
      new Request('http://localhost:8787/mcp', { method: 'POST', headers: { host: 'localhost:8787', 'content-type': 'application/json' }, body: chunks, duplex: 'half' }),
    );
    expect(res.status).toBe(413);
  });

  it('B-ERR-02 / B-SRV-04: a foreign Origin is 403', async () => {
    const r = await send(server.gatehouse, { headers: { origin: 'https://evil.example' }, body: { jsonrpc: '2.0', id: 1, method: 'tools/list' } });
    expect(r.status).toBe(403);
    expect(r.json).toMatchObject({ code: 'forbidden_origin', origin: 'https://evil.example' });
  });

  it('B-SRV-04: a Host this server does not serve is 403 (DNS rebinding)', async () => {
    const r = await send(server.gatehouse, { headers: { host: 'evil.example.com' }, body: { jsonrpc: '2.0', id: 1, method: 'tools/list' } });
    expect(r.status).toBe(403);
    expect(r.json).toMatchObject({ code: 'invalid_host' });
  });

  it('B-SRV-04: the public origin and loopback are accepted, with CORS headers for the browser', async () => {
    const r = await send(server.gatehouse, { headers: { origin: 'http://localhost:8787' }, body: { jsonrpc: '2.0', id: 1, method: 'tools/list' } });
    expect(r.status).toBe(200);
    expect(r.headers.get('access-control-allow-origin')).toBe('http://localhost:8787');
  });

  it('B-ERR-02: an Accept header that takes neither JSON nor SSE is 406', async () => {
    const r = await send(server.gatehouse, { headers: { accept: 'text/html' }, body: { jsonrpc: '2.0', id: 1, method: 'tools/list' } });
    expect(r.status).toBe(406);
  });

  it('B-SRV-05: every response carries a request id header, matching the error body', async () => {
    const ok = await modern(server.gatehouse, 'tools/list');
    expect(ok.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const bad = await send(server.gatehouse, { method: 'PUT', body: {} });
    expect(bad.json.request_id).toBe(bad.headers.get('x-request-id'));
  });

  it('B-ERR-02: a notification is accepted with 202 and no body', async () => {
    const r = await send(server.gatehouse, { body: { jsonrpc: '2.0', method: 'notifications/initialized' } });
    expect(r.status).toBe(202);
    expect(r.text).toBe('');
  });

  it('B-ERR-02: an unknown path answers 404 in the catalogue shape', async () => {
    const res = await server.gatehouse.fetch(new Request('http://localhost:8787/nope', { headers: { host: 'localhost:8787' } }));
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'not_found', retryable: false });
  });
});

describe('CORS preflight', () => {
  it('B-SRV-04: an allowed origin gets the preflight answer; a foreign one is refused at the edge', async () => {
    const ok = await server.gatehouse.fetch(new Request('http://localhost:8787/mcp', { method: 'OPTIONS', headers: { host: 'localhost:8787', origin: 'http://localhost:8787' } }));
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-headers')).toContain('authorization');
    const foreign = await server.gatehouse.fetch(new Request('http://localhost:8787/mcp', { method: 'OPTIONS', headers: { host: 'localhost:8787', origin: 'https://evil.example' } }));
    expect(foreign.status).toBe(403);
  });
});
