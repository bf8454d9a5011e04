import { createGatehouse, createLogger } from '../../src/index.js';
import { contentTools } from './content-tools.js';

/**
 * The fixture for the official MCP conformance suite's authorization-server
 * scenarios (`conformance authorization`): Gatehouse with its built-in OAuth
 * 2.1 authorization server on $PORT, the suite's client pre-registered as a
 * public PKCE client, and one user to sign in as. scripts/conformance.mjs
 * starts it and plays that user in a headless browser.
 *
 * Environment: PORT (default 3000); CALLBACK_PORT, the suite's `--port`
 * (default 3000), whose http://127.0.0.1:<port>/callback is the client's only
 * redirect URI; CONFORMANCE_EMAIL (default user@conformance.test) and
 * CONFORMANCE_PASSWORD (required) for the seeded user.
 */
const port = Number(process.env.PORT ?? 3000);
const callbackPort = Number(process.env.CALLBACK_PORT ?? 3000);
const email = process.env.CONFORMANCE_EMAIL ?? 'user@conformance.test';
const password = process.env.CONFORMANCE_PASSWORD;
if (password === undefined || password.length < 12) throw new Error('set CONFORMANCE_PASSWORD (at least 12 characters) for the seeded user');

const gatehouse = await createGatehouse({
  name: 'gatehouse-conformance-fixture',
  title: 'Gatehouse conformance fixture',
  version: '1.0.0',
  port,
  publicUrl: `http://localhost:${port}`,
  auth: {
    kind: 'oauth',
    staticClients: [{ clientId: 'conformance-client', clientName: 'MCP conformance suite', redirectUris: [`http://127.0.0.1:${callbackPort}/callback`] }],
  },
  store: { kind: 'sqlite', file: ':memory:' },
  logger: createLogger({ level: process.env.LOG_LEVEL === undefined ? 'warn' : (process.env.LOG_LEVEL as 'info') }),
  tools: contentTools,
});
const d = gatehouse.auth.directory;
const organization = await d.createOrganization({ slug: 'conformance', name: 'Conformance' });
const user = await d.createUser({ email, name: 'Conformance User', password });
await d.addMember(user.id, organization.id, 'member');
const { url } = await gatehouse.listen();
process.stdout.write(`conformance OAuth fixture at ${url}\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void gatehouse.close().then(() => process.exit(0)));
