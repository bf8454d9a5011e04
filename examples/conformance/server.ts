import { createGatehouse, createLogger, defineTool, text, toolResult, type Gatehouse } from '../../src/index.js';
import { contentTools } from './content-tools.js';
import { inputTools } from './input-tools.js';
import { prompts, resources } from './resources-and-prompts.js';

/**
 * The fixture server the official MCP conformance suite expects, built with
 * Gatehouse's public API: `npm run fixture` serves it on $PORT (default 3000)
 * at /mcp with authorization off.
 */
const port = Number(process.env.PORT ?? 3000);
const current: { gatehouse?: Gatehouse } = {};

const triggers = [
  defineTool({
    name: 'test_trigger_tool_change',
    description: 'Announces that the tool list changed.',
    handler: () => (current.gatehouse?.notify.toolsChanged(), toolResult({ content: [text('tools changed')] })),
  }),
  defineTool({
    name: 'test_trigger_prompt_change',
    description: 'Announces that the prompt list changed.',
    handler: () => (current.gatehouse?.notify.promptsChanged(), toolResult({ content: [text('prompts changed')] })),
  }),
];

const gatehouse = await createGatehouse({
  name: 'gatehouse-conformance-fixture',
  version: '1.0.0',
  port,
  publicUrl: `http://localhost:${port}`,
  auth: { kind: 'insecure-none', organizationId: null },
  store: { kind: 'sqlite', file: ':memory:' },
  logger: createLogger({ level: process.env.LOG_LEVEL === undefined ? 'warn' : (process.env.LOG_LEVEL as 'info') }),
  tools: [...contentTools, ...inputTools, ...triggers],
  prompts,
  resources,
  // Without authorization every request is one credential: the suite's hundreds of requests a minute
  // would meet the default limit of 120, which is a policy of ours, not a protocol requirement.
  policy: { rateLimits: { requestsPerMinute: 100_000 } },
});
current.gatehouse = gatehouse;
const { url } = await gatehouse.listen();
process.stdout.write(`conformance fixture at ${url}\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void gatehouse.close().then(() => process.exit(0)));
