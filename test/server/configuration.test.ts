import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, createGatehouse, defineTool, type GatehouseOptions } from '../../src/index.js';

const base: GatehouseOptions = {
  name: 'cfg',
  version: '1',
  auth: { kind: 'insecure-none', organizationId: null },
  store: { kind: 'sqlite', file: ':memory:' },
  tools: [],
};
const tool = (name: string, description = 'd') => defineTool({ name, description, handler: () => 'ok' });

describe('options and definitions are validated at construction', () => {
  it.each([
    ['a tool name with spaces', { tools: [tool('bad name')] }, /tools\[0\] \(bad name\): name must be/],
    ['a duplicate tool name', { tools: [tool('a'), tool('a')] }, /duplicate tool a/],
    ['a tool without a description', { tools: [tool('a', ' ')] }, /description is required/],
    ['an input that is not an object', { tools: [defineTool({ name: 'a', description: 'd', input: z.string(), handler: () => 'x' })] }, /input must describe a JSON object/],
    ['a body limit below 1 KiB', { limits: { maxBodyBytes: 10 } }, /limits\.maxBodyBytes/],
    ['a public URL that is not a URL', { publicUrl: 'not a url' }, /publicUrl/],
    ['a JWT secret shorter than 32 bytes', { auth: { kind: 'jwt', secret: 'short', issuer: 'i' } }, /auth\.secret/],
    ['a PostgreSQL store without a shared secret', { store: { kind: 'postgres', url: 'postgres://127.0.0.1/x' } }, /secret/],
  ] as const)('options: %s is a ConfigurationError naming the option, at start-up', async (_label, patch, message) => {
    const attempt = createGatehouse({ ...base, ...(patch as Partial<GatehouseOptions>) });
    await expect(attempt).rejects.toBeInstanceOf(ConfigurationError);
    await expect(attempt).rejects.toThrow(message);
  });
});
