import { createServer } from 'node:net';
import { z } from 'zod';
import { createGatehouse, createLogger, defineTool, type Gatehouse, type GatehouseOptions } from '../../src/index.js';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export const PASSWORD = 'correct horse battery staple';

export interface OAuthTestServer {
  readonly gatehouse: Gatehouse;
  readonly base: string;
  readonly mcpUrl: string;
  readonly logs: Record<string, unknown>[];
  /** alice: owner of Acme, viewer of Globex. bob: member of Acme only. */
  readonly users: { readonly alice: string; readonly bob: string };
  readonly orgs: { readonly acme: string; readonly globex: string };
  close(): Promise<void>;
}

export const whoamiTool = defineTool({
  name: 'whoami_probe',
  description: 'Reports who the call acts as.',
  input: z.object({}),
  handler: (_input, ctx) => ({
    user: ctx.principal.userId,
    organization: ctx.organization?.id ?? null,
    role: ctx.principal.role ?? null,
    scopes: [...ctx.principal.scopes].sort(),
    kind: ctx.principal.kind,
  }),
});

/** A Gatehouse with the built-in authorization server on a real port, seeded with two users and two organizations. */
export async function startOAuthServer(
  auth: Partial<Extract<GatehouseOptions['auth'], { kind: 'oauth' }>> = {},
  extra: Partial<GatehouseOptions> = {},
  /** `false` when reopening a store seeded before (a restart). */
  seed = true,
): Promise<OAuthTestServer> {
  const port = extra.port ?? (await freePort());
  const base = extra.publicUrl ?? `http://localhost:${port}`;
  const logs: Record<string, unknown>[] = [];
  const gatehouse = await createGatehouse({
    name: 'oauth-test',
    title: 'Acme MCP',
    version: '1.0.0',
    port,
    publicUrl: base,
    store: { kind: 'sqlite', file: ':memory:' },
    logger: createLogger({ level: 'debug', destination: { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) } }),
    auth: { kind: 'oauth', ...auth },
    tools: [whoamiTool],
    ...extra,
  });
  const d = gatehouse.auth.directory;
  if (seed) {
    const acme = await d.createOrganization({ slug: 'acme', name: 'Acme Outfitters' });
    const globex = await d.createOrganization({ slug: 'globex', name: 'Globex Corporation' });
    const alice = await d.createUser({ email: 'alice@example.com', name: 'Alice', password: PASSWORD });
    const bob = await d.createUser({ email: 'bob@example.com', name: 'Bob', password: PASSWORD });
    await d.addMember(alice.id, acme.id, 'owner');
    await d.addMember(alice.id, globex.id, 'viewer');
    await d.addMember(bob.id, acme.id, 'member');
  }
  const [acme, globex, alice, bob] = await Promise.all([d.findOrganizationBySlug('acme'), d.findOrganizationBySlug('globex'), d.findUserByEmail('alice@example.com'), d.findUserByEmail('bob@example.com')]);
  if (acme === undefined || globex === undefined || alice === undefined || bob === undefined) throw new Error('the test directory is not seeded');
  await gatehouse.listen();
  return {
    gatehouse,
    base,
    mcpUrl: new URL('/mcp', base).href,
    logs,
    users: { alice: alice.id, bob: bob.id },
    orgs: { acme: acme.id, globex: globex.id },
    close: () => gatehouse.close(),
  };
}
