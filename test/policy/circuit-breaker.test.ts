import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineTool, fail } from '../../src/index.js';
import { MemoryCircuitBreakers } from '../../src/policy/circuit-breakers.js';
import type { ToolCall } from '../../src/policy/stage.js';
import { circuitBreakerStage } from '../../src/policy/stages/circuit-breaker.js';
import { GatehouseError } from '../../src/errors/gatehouse-error.js';
import { modern, startServer, type TestServer } from '../helpers/harness.js';
import { Runs, TestClock } from './policy-server.js';

const MINUTE = 60_000;
const errorOf = (json: any) => json.result.structuredContent;

describe('B-POL-04 circuit breaker through the pipeline (frozen clock)', () => {
  const runs = new Runs();
  const clock = new TestClock();
  let mode: 'fail' | 'ok' | 'invalid' | 'slow' = 'fail';
  let server: TestServer;
  const flaky = defineTool({
    name: 'sync_crm_contacts',
    description: 'Syncs contacts from the CRM.',
    input: z.object({ limit: z.number().int().max(100).default(10) }),
    handler: async () => {
      runs.hit('sync_crm_contacts');
      if (mode === 'fail') throw new Error('CRM answered 502');
      if (mode === 'invalid') throw fail('invalid_input', 'bad list', { field: 'list' });
      if (mode === 'slow') await new Promise((r) => setTimeout(r, 200));
      return { synced: 3 };
    },
  });
  const other = defineTool({ name: 'other_tool', description: 'Another tool.', input: z.object({}), handler: () => ({ ok: true }) });
  beforeAll(async () => {
    server = await startServer({ tools: [flaky, other], clock: clock.now, limits: { toolTimeoutMs: 100 } });
  });
  afterAll(() => server.close());
  const call = (args: Record<string, unknown> = {}) => modern(server.gatehouse, 'tools/call', { name: 'sync_crm_contacts', arguments: args });

  it('B-POL-04: validation errors never count: invalid arguments and a handler’s own client-fault errors leave it closed', async () => {
    for (let i = 0; i < 5; i++) expect(errorOf((await call({ limit: 1000 })).json).code).toBe('invalid_input');
    mode = 'invalid';
    for (let i = 0; i < 4; i++) expect(errorOf((await call()).json).code).toBe('invalid_input');
    mode = 'ok';
    expect((await call()).json.result.structuredContent).toEqual({ synced: 3 });
  });

  it('B-POL-04: three consecutive server-side failures within 30 minutes open it: circuit_open, retryable, retry_after = the cool-down', async () => {
    mode = 'fail';
    for (let i = 0; i < 3; i++) {
      expect(errorOf((await call()).json).code).toBe('internal_error');
      if (i < 2) clock.advance(5 * MINUTE);
    }
    const before = runs.count('sync_crm_contacts');
    const open = await call();
    expect(errorOf(open.json)).toMatchObject({ code: 'circuit_open', retryable: true, retry_after: 300, tool: 'sync_crm_contacts' });
    expect(runs.count('sync_crm_contacts')).toBe(before);
  });

  it('B-POL-04: retry_after counts down the remaining cool-down; other tools are not affected', async () => {
    clock.advance(2 * MINUTE);
    const open = await call();
    expect(errorOf(open.json)).toMatchObject({ code: 'circuit_open', retry_after: 180 });
    expect((await modern(server.gatehouse, 'tools/call', { name: 'other_tool', arguments: {} })).json.result.structuredContent).toEqual({ ok: true });
  });

  it('B-POL-04: after the cool-down one trial runs; its failure opens the breaker again for a full cool-down', async () => {
    clock.advance(5 * MINUTE);
    const before = runs.count('sync_crm_contacts');
    expect(errorOf((await call()).json).code).toBe('internal_error');
    expect(runs.count('sync_crm_contacts')).toBe(before + 1);
    expect(errorOf((await call()).json)).toMatchObject({ code: 'circuit_open', retry_after: 300 });
  });

  it('B-POL-04: while the trial runs, other calls are refused; a successful trial closes it', async () => {
    clock.advance(5 * MINUTE);
    mode = 'slow';
    const trial = call();
    await new Promise((r) => setTimeout(r, 20));
    const meanwhile = await call();
    expect(errorOf(meanwhile.json)).toMatchObject({ code: 'circuit_open', retry_after: 1 });
    // A timeout is a server-side failure: the slow trial (200 ms > 100 ms limit) re-opens it.
    expect(errorOf((await trial).json).code).toBe('timeout');
    clock.advance(5 * MINUTE);
    mode = 'ok';
    expect((await call()).json.result.structuredContent).toEqual({ synced: 3 });
    mode = 'fail';
    expect(errorOf((await call()).json).code).toBe('internal_error');
    expect(errorOf((await call()).json).code).toBe('internal_error');
    mode = 'ok';
    expect((await call()).json.result.structuredContent).toEqual({ synced: 3 });
  });
});

describe('B-POL-04 breaker state machine', () => {
  const settings = { failures: 3, windowMs: 30 * MINUTE, coolDownMs: 5 * MINUTE };

  it('B-POL-04: failures spread over more than 30 minutes do not open it; a success resets the count', () => {
    const clock = new TestClock();
    const b = new MemoryCircuitBreakers(settings, clock.now);
    b.record('org', 'tool:x', true);
    clock.advance(20 * MINUTE);
    b.record('org', 'tool:x', true);
    clock.advance(11 * MINUTE);
    b.record('org', 'tool:x', true);
    expect(b.admit('org', 'tool:x')).toEqual({ kind: 'closed' });
    b.record('org', 'tool:x', true);
    b.record('org', 'tool:x', false);
    b.record('org', 'tool:x', true);
    b.record('org', 'tool:x', true);
    expect(b.admit('org', 'tool:x')).toEqual({ kind: 'closed' });
    b.record('org', 'tool:x', true);
    expect(b.admit('org', 'tool:x')).toEqual({ kind: 'open', retryAfterMs: 5 * MINUTE });
  });

  it('B-POL-04: breakers are per organization and per tool or connector', () => {
    const clock = new TestClock();
    const b = new MemoryCircuitBreakers(settings, clock.now);
    for (let i = 0; i < 3; i++) b.record('acme', 'connector:crm', true);
    expect(b.admit('acme', 'connector:crm').kind).toBe('open');
    expect(b.admit('globex', 'connector:crm').kind).toBe('closed');
    expect(b.admit('acme', 'tool:other').kind).toBe('closed');
    clock.advance(5 * MINUTE);
    expect(b.admit('acme', 'connector:crm').kind).toBe('trial');
    expect(b.admit('acme', 'connector:crm')).toEqual({ kind: 'open', retryAfterMs: 1000 });
    b.record('acme', 'connector:crm', false);
    expect(b.admit('acme', 'connector:crm').kind).toBe('closed');
  });
});

describe('B-POL-04 add-on tools', () => {
  it('B-POL-04: an add-on tool’s breaker is per user: one user’s failing add-on does not pause the tool for the organization', () => {
    const stage = circuitBreakerStage(new MemoryCircuitBreakers({ failures: 3, windowMs: 30 * MINUTE, coolDownMs: 5 * MINUTE }, new TestClock().now));
    const tool = { name: 'preview_on_device', definition: { name: 'preview_on_device', addon: 'desktop' } };
    const callBy = (userId: string) => ({ tool, ran: true, context: { organization: { id: 'org_acme' }, principal: { userId } } }) as unknown as ToolCall;
    for (let i = 0; i < 3; i++) void stage.after?.(callBy('usr_a'), { kind: 'error', error: new GatehouseError('timeout') });
    expect(stage.before?.(callBy('usr_a'))).toMatchObject({ code: 'circuit_open' });
    expect(stage.before?.(callBy('usr_b'))).toBeUndefined();
  });
});
