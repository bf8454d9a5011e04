import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/harness.js';
import { testTools } from '../helpers/test-tools.js';
import { BUILTIN_TOOL_NAMES } from '../../src/tenancy/builtin-tools.js';

/**
 * The official MCP client (SDK v2) as a peer over real HTTP: if it can use
 * the server in both revisions, real clients can.
 */
let server: TestServer;
let url: URL;
beforeAll(async () => {
  server = await startServer({ tools: testTools, port: 0 });
  url = new URL((await server.gatehouse.listen()).url);
});
afterAll(() => server.close());

type Mode = 'legacy' | 'auto' | { pin: '2026-07-28' };

async function connect(mode: Mode): Promise<Client> {
  const client = new Client({ name: 'oracle', version: '1.0.0' }, { capabilities: { elicitation: { form: {} } }, versionNegotiation: { mode } });
  client.setRequestHandler('elicitation/create', () => ({ action: 'accept', content: { name: 'Ada' } }));
  await client.connect(new StreamableHTTPClientTransport(url));
  return client;
}

describe.each<[string, Mode]>([
  ['2026-07-28 (pinned)', { pin: '2026-07-28' }],
  ['2026-07-28 (negotiated by server/discover)', 'auto'],
  ['2025-11-25 (initialize handshake)', 'legacy'],
])('the official SDK client, %s', (_label, mode) => {
  it('B-SRV-01: lists tools with their schemas', async () => {
    const client = await connect(mode);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name)).toEqual([...testTools.map((t) => t.name), ...BUILTIN_TOOL_NAMES]);
    expect(tools.find((t) => t.name === 'add_subscriber')?.outputSchema).toMatchObject({ type: 'object' });
    await client.close();
  });

  it('B-SRV-01: calls a tool and validates its structured output', async () => {
    const client = await connect(mode);
    const result = await client.callTool({ name: 'add_subscriber', arguments: { email: 'ada@example.com' } });
    expect(result.structuredContent).toEqual({ id: 'sub_1', email: 'ada@example.com' });
    await client.close();
  });

  it('B-ERR-04: sees tool errors as isError results carrying the error object', async () => {
    const client = await connect(mode);
    const result = await client.callTool({ name: 'add_subscriber', arguments: { email: 'nope' } });
    expect(result.isError).toBe(true);
    expect(result.structuredContent).toMatchObject({ code: 'invalid_input', field: 'email' });
    await client.close();
  });

  it('B-ERR-03: sees an unknown tool as a -32602 protocol error', async () => {
    const client = await connect(mode);
    await expect(client.callTool({ name: 'missing_tool', arguments: {} })).rejects.toMatchObject({ code: -32602 });
    await client.close();
  });

  it('B-SRV-01: answers an elicitation the tool asks for, and gets the result', async () => {
    const client = await connect(mode);
    const result = await client.callTool({ name: 'ask_name', arguments: {} });
    expect(result.structuredContent).toMatchObject({ greeting: 'Hello, Ada' });
    await client.close();
  });
});
