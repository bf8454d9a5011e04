import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initialize, legacy, modern, startServer, type TestServer } from '../helpers/harness.js';
import { deleteTool, Runs } from './policy-server.js';

const ELICIT = { 'io.modelcontextprotocol/clientCapabilities': { elicitation: {} } };
const errorOf = (json: any) => json.result.structuredContent;

describe('B-POL-01 confirmation with the confirm argument (policy.confirmation: argument)', () => {
  const runs = new Runs();
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ tools: [deleteTool(runs)], policy: { confirmation: 'argument' } });
  });
  afterAll(() => server.close());

  it('B-POL-01: the destructive tool advertises a confirm argument and a destructive hint is not needed', async () => {
    const r = await modern(server.gatehouse, 'tools/list');
    const tool = r.json.result.tools.find((t: any) => t.name === 'delete_subscriber');
    expect(tool.inputSchema.properties.confirm).toMatchObject({ type: 'boolean' });
    expect(tool.inputSchema.properties.email).toBeDefined();
  });

  it('B-POL-01: without confirm: true the call is refused with confirmation_required and a plain summary, before the handler runs', async () => {
    for (const args of [{ email: 'jane@example.com' }, { email: 'jane@example.com', confirm: false }]) {
      const r = await modern(server.gatehouse, 'tools/call', { name: 'delete_subscriber', arguments: args });
      expect(r.status).toBe(200);
      expect(r.json.result.isError).toBe(true);
      expect(errorOf(r.json)).toMatchObject({ code: 'confirmation_required', retryable: false, summary: 'Delete the subscriber jane@example.com and their history. This cannot be undone.' });
    }
    expect(runs.count('delete_subscriber')).toBe(0);
  });

  it('B-POL-01: with confirm: true the handler runs once and never sees the confirm argument', async () => {
    const r = await modern(server.gatehouse, 'tools/call', { name: 'delete_subscriber', arguments: { email: 'jane@example.com', confirm: true } });
    expect(r.json.result.isError).toBeUndefined();
    expect(r.json.result.structuredContent).toEqual({ deleted: 'jane@example.com' });
    expect(runs.count('delete_subscriber')).toBe(1);
  });

  it('B-POL-01: a confirm that is not a boolean is invalid_input naming the field; invalid input is reported before any confirmation', async () => {
    const r = await modern(server.gatehouse, 'tools/call', { name: 'delete_subscriber', arguments: { email: 'jane@example.com', confirm: 'yes' } });
    expect(errorOf(r.json)).toMatchObject({ code: 'invalid_input', field: 'confirm' });
    const missing = await modern(server.gatehouse, 'tools/call', { name: 'delete_subscriber', arguments: { confirm: true } });
    expect(errorOf(missing.json)).toMatchObject({ code: 'invalid_input', field: 'email' });
    expect(runs.count('delete_subscriber')).toBe(1);
  });
});

describe('B-POL-01 confirmation by the user (policy.confirmation: ask-user, the default)', () => {
  const runs = new Runs();
  let server: TestServer;
  let url: URL;
  beforeAll(async () => {
    server = await startServer({ tools: [deleteTool(runs)], port: 0 });
    url = new URL((await server.gatehouse.listen()).url);
  });
  afterAll(() => server.close());

  it('B-POL-01: a 2026-07-28 client that declares elicitation is asked for the user’s confirmation, and confirm: true from the model is not enough', async () => {
    const first = await modern(server.gatehouse, 'tools/call', { name: 'delete_subscriber', arguments: { email: 'jane@example.com', confirm: true } }, { meta: ELICIT });
    expect(first.json.result).toMatchObject({ resultType: 'input_required', inputRequests: { gatehouse_confirm: { method: 'elicitation/create' } } });
    expect(first.json.result.inputRequests.gatehouse_confirm.params.message).toContain('Delete the subscriber jane@example.com');
    expect(runs.count('delete_subscriber')).toBe(0);

    const declined = await modern(
      server.gatehouse,
      'tools/call',
      { name: 'delete_subscriber', arguments: { email: 'jane@example.com' }, inputResponses: { gatehouse_confirm: { action: 'decline' } } },
      { meta: ELICIT },
    );
    expect(errorOf(declined.json)).toMatchObject({ code: 'confirmation_required' });
    expect(errorOf(declined.json).message).toContain('did not confirm');
    const unticked = await modern(
      server.gatehouse,
      'tools/call',
      { name: 'delete_subscriber', arguments: { email: 'jane@example.com' }, inputResponses: { gatehouse_confirm: { action: 'accept', content: { confirm: false } } } },
      { meta: ELICIT },
    );
    expect(errorOf(unticked.json)).toMatchObject({ code: 'confirmation_required' });
    expect(runs.count('delete_subscriber')).toBe(0);

    const accepted = await modern(
      server.gatehouse,
      'tools/call',
      { name: 'delete_subscriber', arguments: { email: 'jane@example.com' }, inputResponses: { gatehouse_confirm: { action: 'accept', content: { confirm: true } } } },
      { meta: ELICIT },
    );
    expect(accepted.json.result.structuredContent).toEqual({ deleted: 'jane@example.com' });
    expect(runs.count('delete_subscriber')).toBe(1);
  });

  it('B-POL-01: a client without elicitation falls back to the confirm argument', async () => {
    const refused = await modern(server.gatehouse, 'tools/call', { name: 'delete_subscriber', arguments: { email: 'a@example.com' } });
    expect(errorOf(refused.json)).toMatchObject({ code: 'confirmation_required' });
    const before = runs.count('delete_subscriber');
    const done = await modern(server.gatehouse, 'tools/call', { name: 'delete_subscriber', arguments: { email: 'a@example.com', confirm: true } });
    expect(done.json.result.structuredContent).toEqual({ deleted: 'a@example.com' });
    expect(runs.count('delete_subscriber')).toBe(before + 1);
  });

  it('B-POL-01: a 2025-11-25 session without a stream cannot be asked, so it confirms with the argument', async () => {
    const session = await initialize(server.gatehouse, { elicitation: {} });
    const r = await legacy(server.gatehouse, 'tools/call', { name: 'delete_subscriber', arguments: { email: 'b@example.com' } }, { session, headers: { accept: 'application/json' } });
    expect(r.json.result.structuredContent).toMatchObject({ code: 'confirmation_required' });
  });

  it('B-POL-01: the official SDK client over 2025-11-25 gets the server’s elicitation, and only the user’s answer runs the tool', async () => {
    for (const [answer, expected] of [
      [{ action: 'decline' }, 'confirmation_required'],
      [{ action: 'accept', content: { confirm: true } }, 'ok'],
    ] as const) {
      const asked: string[] = [];
      const client = new Client({ name: 'oracle', version: '1.0.0' }, { capabilities: { elicitation: { form: {} } }, versionNegotiation: { mode: 'legacy' } });
      client.setRequestHandler('elicitation/create', (request) => {
        asked.push(String((request.params as { message: string }).message));
        return answer;
      });
      await client.connect(new StreamableHTTPClientTransport(url));
      try {
        const before = runs.count('delete_subscriber');
        const result = await client.callTool({ name: 'delete_subscriber', arguments: { email: 'c@example.com', confirm: true } });
        expect(asked).toHaveLength(1);
        expect(asked[0]).toContain('Delete the subscriber c@example.com');
        if (expected === 'ok') {
          expect(result.structuredContent).toEqual({ deleted: 'c@example.com' });
          expect(runs.count('delete_subscriber')).toBe(before + 1);
        } else {
          expect(result.isError).toBe(true);
          expect(result.structuredContent).toMatchObject({ code: 'confirmation_required' });
          expect(runs.count('delete_subscriber')).toBe(before);
        }
      } finally {
        await client.close();
      }
    }
  });
});

describe('B-POL-01 confirmation only by the user (policy.confirmation: ask-user-only)', () => {
  const runs = new Runs();
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ tools: [deleteTool(runs)], policy: { confirmation: 'ask-user-only' } });
  });
  afterAll(() => server.close());

  it('B-POL-01: a client that cannot ask the user cannot run a destructive tool, even with confirm: true', async () => {
    const r = await modern(server.gatehouse, 'tools/call', { name: 'delete_subscriber', arguments: { email: 'jane@example.com', confirm: true } });
    expect(errorOf(r.json)).toMatchObject({ code: 'confirmation_required' });
    expect(errorOf(r.json).message).toContain('cannot show them a confirmation');
    expect(runs.count('delete_subscriber')).toBe(0);
  });
});
