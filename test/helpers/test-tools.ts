import { z } from 'zod';
import { ask, defineTool, fail, inputRequired, readElicitation, type ToolDefinition } from '../../src/index.js';

/** What the hang tool observed, so tests can prove abort reached the handler. */
export const observed = { aborted: false, abortReason: undefined as unknown };

export const testTools: ToolDefinition[] = [
  defineTool({
    name: 'echo',
    description: 'Echoes its text.',
    input: z.object({ text: z.string().describe('What to echo') }),
    handler: ({ text }) => ({ text }),
  }),
  defineTool({
    name: 'add_subscriber',
    description: 'Adds a subscriber.',
    input: z.object({ email: z.email({ error: 'A valid email address is required' }), name: z.string().optional() }),
    output: z.object({ id: z.string(), email: z.string() }),
    handler: ({ email }) => ({ id: 'sub_1', email }),
  }),
  defineTool({
    name: 'update_campaign',
    description: 'Updates a draft campaign.',
    input: z.object({ id: z.string() }),
    handler: () => {
      throw fail('invalid_state', 'Only draft campaigns can be updated', { resource: 'campaign', status: 'sent', allowed_status: ['draft'] });
    },
  }),
  defineTool({
    name: 'explode',
    description: 'Throws an unexpected error carrying a secret.',
    handler: () => {
      throw new Error('database password is hunter2');
    },
  }),
  defineTool({
    name: 'hang',
    description: 'Never finishes unless aborted.',
    handler: (_input, ctx) =>
      new Promise((resolve) => {
        ctx.signal.addEventListener('abort', () => {
          observed.aborted = true;
          observed.abortReason = ctx.signal.reason;
          resolve('aborted');
        });
      }),
  }),
  defineTool({
    name: 'steps',
    description: 'Reports progress and logs.',
    handler: (_input, ctx) => {
      ctx.log('info', 'starting');
      ctx.progress(1, 2, 'half');
      ctx.progress(2, 2, 'done');
      return { ok: true };
    },
  }),
  defineTool({
    name: 'ask_name',
    description: 'Asks the user for a name.',
    handler: (_input, ctx) => {
      const answer = readElicitation(ctx.inputResponses.name);
      const name = answer?.action === 'accept' ? answer.content?.name : undefined;
      if (typeof name === 'string') return { greeting: `Hello, ${name}`, state: ctx.requestState ?? null };
      return inputRequired({ inputRequests: { name: ask.form('Your name?', { type: 'object', properties: { name: { type: 'string' } } }) }, state: { round: 1 } });
    },
  }),
];
