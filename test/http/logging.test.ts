import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { legacy, startServer, type TestServer } from '../helpers/harness.js';
import { testTools } from '../helpers/test-tools.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ tools: testTools, port: 0 });
  await server.gatehouse.listen();
});
afterAll(() => server.close());

describe('logs', () => {
  it('B-SRV-02: on start the log says MCP server registered at /mcp', () => {
    expect(server.logs.some((l) => l.msg === 'MCP server registered at /mcp' && typeof l.url === 'string')).toBe(true);
  });

  it('B-SRV-05: every log line of a request carries its request id, which is also the response header', async () => {
    const before = server.logs.length;
    const r = await legacy(server.gatehouse, 'tools/call', { name: 'explode', arguments: {} });
    const lines = server.logs.slice(before);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line.request_id).toBe(r.headers.get('x-request-id'));
  });

  it('B-SRV-05: secrets in log objects are redacted', () => {
    server.gatehouse.logger.info({ authorization: 'Bearer abc', nested: { password: 'p', email: 'a@b.c' } }, 'redaction probe');
    const line = server.logs.find((l) => l.msg === 'redaction probe');
    expect(JSON.stringify(line)).not.toMatch(/Bearer abc|"p"|a@b\.c/);
  });
});
