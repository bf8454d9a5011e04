import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { legacy, modern, startServer, type TestServer } from '../helpers/harness.js';
import { testTools } from '../helpers/test-tools.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ tools: testTools });
});
afterAll(() => server.close());

function expectToolError(result: any) {
  expect(result.isError).toBe(true);
  expect(result.content[0].type).toBe('text');
  // The same object twice: as text for models, structured for programs.
  expect(JSON.parse(result.content[0].text)).toEqual(result.structuredContent);
  return result.structuredContent;
}

describe('layer 3: tool errors are isError results', () => {
  it('B-ERR-04: invalid input is a tool error naming the failing field, with the schema message', async () => {
    const r = await legacy(server.gatehouse, 'tools/call', { name: 'add_subscriber', arguments: {} });
    expect(r.status).toBe(200);
    const body = expectToolError(r.json.result);
    expect(body).toMatchObject({ code: 'invalid_input', field: 'email', retryable: false });
    // The schema's message already names the field, so it is kept as written (seed 004).
    expect(body.message).toBe('A valid email address is required');
  });

  it('B-POL-09: a wrong type names the field too', async () => {
    const r = await legacy(server.gatehouse, 'tools/call', { name: 'echo', arguments: { text: 5 } });
    expect(expectToolError(r.json.result)).toMatchObject({ code: 'invalid_input', field: 'text' });
  });

  it('B-ERR-04: a state-machine refusal is a tool error the model can read', async () => {
    const r = await modern(server.gatehouse, 'tools/call', { name: 'update_campaign', arguments: { id: 'cmp_1' } });
    expect(r.status).toBe(200);
    expect(r.json.result.resultType).toBe('complete');
    expect(expectToolError(r.json.result)).toMatchObject({
      code: 'invalid_state',
      message: 'Only draft campaigns can be updated',
      allowed_status: ['draft'],
      request_id: r.headers.get('x-request-id'),
    });
  });

  it('B-ERR-06: an unexpected exception is internal_error: retryable, request id, support hint, no internals', async () => {
    const before = server.logs.length;
    const r = await legacy(server.gatehouse, 'tools/call', { name: 'explode', arguments: {} });
    const body = expectToolError(r.json.result);
    expect(body).toMatchObject({ code: 'internal_error', retryable: true, message: 'Internal error.' });
    expect(body.support_hint).toContain(body.request_id);
    expect(r.text).not.toContain('hunter2');
    expect(r.text).not.toMatch(/at .*\.ts:\d+/);
    // The stack goes to the log, under the same request id.
    const line = server.logs.slice(before).find((l) => l.msg === 'tool handler failed');
    expect(line).toMatchObject({ request_id: body.request_id, level: 50 });
    expect(JSON.stringify(line)).toContain('hunter2');
  });

  it('B-ERR-04: a declared output schema is enforced and reported as structuredContent', async () => {
    const r = await legacy(server.gatehouse, 'tools/call', { name: 'add_subscriber', arguments: { email: 'ada@example.com' } });
    expect(r.json.result).toEqual({ content: [{ type: 'text', text: '{"id":"sub_1","email":"ada@example.com"}' }], structuredContent: { id: 'sub_1', email: 'ada@example.com' } });
  });
});
