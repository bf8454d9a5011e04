import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openDemo } from './fixtures.js';

interface JsonSchema {
  type?: string;
  properties?: Record<string, { description?: string }>;
}

describe('Mailroom tool catalogue', () => {
  it('has at least 22 uniquely named, documented tools', async () => {
    const { mailroom } = await openDemo();
    const names = mailroom.tools.map((t) => t.name);
    expect(names.length).toBeGreaterThanOrEqual(22);
    expect(new Set(names).size).toBe(names.length);
    for (const tool of mailroom.tools) {
      expect(tool.name).toMatch(/^[a-z][a-z_]{2,63}$/);
      expect(tool.title, tool.name).toBeTruthy();
      expect(tool.description.length, tool.name).toBeGreaterThan(60);
    }
  });

  it('annotates reads as read-only, and marks deletes and sends destructive both as a hint and as policy (B-POL-01)', async () => {
    const { mailroom } = await openDemo();
    for (const tool of mailroom.tools) {
      const read = /^(list|get|preview)_/.test(tool.name);
      const destructive = tool.name.startsWith('delete_') || tool.name === 'send_campaign';
      expect(tool.annotations?.readOnlyHint, tool.name).toBe(read);
      expect(tool.annotations?.destructiveHint ?? false, tool.name).toBe(destructive);
      expect(tool.destructive !== undefined && tool.destructive !== false, tool.name).toBe(destructive);
      if (read) expect(tool.annotations?.idempotentHint, tool.name).toBe(true);
    }
  });

  it('describes every input field for the model, and every schema converts to a JSON Schema object', async () => {
    const { mailroom } = await openDemo();
    for (const tool of mailroom.tools) {
      if (!('zod' in tool.input)) throw new Error(`${tool.name} should use zod`);
      const input = z.toJSONSchema(tool.input.zod, { io: 'input' }) as JsonSchema;
      expect(input.type, tool.name).toBe('object');
      for (const [field, schema] of Object.entries(input.properties ?? {})) expect(schema.description, `${tool.name}.${field}`).toBeTruthy();
      expect(tool.output, `${tool.name} has an output schema`).toBeDefined();
      if (tool.output !== undefined && 'zod' in tool.output) expect((z.toJSONSchema(tool.output.zod, { io: 'output' }) as JsonSchema).type).toBe('object');
    }
  });

  it('offers the two prompts and three resources', async () => {
    const { mailroom } = await openDemo();
    expect(mailroom.prompts.map((p) => p.name).sort()).toEqual(['draft_campaign', 'weekly_report']);
    expect(mailroom.resources.map((r) => (r.kind === 'resource' ? r.uri : r.uriTemplate)).sort()).toEqual([
      'mailroom://campaigns/{id}',
      'mailroom://docs/getting-started',
      'mailroom://segments/{id}',
    ]);
  });
});
