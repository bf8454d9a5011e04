import { parseArgs } from 'node:util';
import { createGatehouse, createLogger, defineTool, type GatehouseOptions } from '../src/index.js';
import { announce, exitOnSignal, freePort } from './child.js';
import { BENCH_ISSUER, secretFromEnv } from './jwt.js';
import { parseAuth, parseMode, type AuthKind, type Mode } from './modes.js';
import { ACCESS_TOKEN_TTL_SEC, BENCH_ORG_SLUG, BENCH_USER_EMAIL, passwordFromEnv } from './oauth-token.js';
import { benchTools } from './tools.js';

/**
 * The Gatehouse side of the benchmark, run as its own process by `run.ts`:
 * the shared 25 tools on loopback, with an in-memory SQLite store and a quiet
 * logger (warn), as a product would deploy one instance. With `--auth oauth`
 * (the default) its built-in authorization server is on, with one seeded
 * organization and member the runner signs in as; with `--auth jwt` it
 * verifies HS256 tokens minted by the runner with a shared secret.
 */

/**
 * The hook for deployment modes: the store (and, later, the cache) a mode
 * configures. `postgres-redis` will return a PostgreSQL store and a Redis
 * cache here; `parseMode` refuses it until then.
 */
function storeFor(mode: Mode): Pick<GatehouseOptions, 'store'> {
  switch (mode) {
    case 'sqlite':
      return { store: { kind: 'sqlite', file: ':memory:' } };
    case 'postgres-redis':
      throw new Error('--mode postgres-redis is not implemented yet');
  }
}

/** The `auth` option for a run: the built-in authorization server, or an external HS256 issuer. */
function authFor(auth: AuthKind): GatehouseOptions['auth'] {
  switch (auth) {
    case 'oauth':
      // An hour, so the token the runner obtains outlives every round; everything else at its default.
      return { kind: 'oauth', accessTokenTtl: ACCESS_TOKEN_TTL_SEC };
    case 'jwt':
      // Audience left to its default, `<publicUrl>/mcp`: the same value the SDK peer checks.
      return { kind: 'jwt', secret: secretFromEnv(), issuer: BENCH_ISSUER };
  }
}

const { values } = parseArgs({ options: { mode: { type: 'string' }, auth: { type: 'string' } } });
const mode = parseMode(values.mode);
const auth = parseAuth(values.auth);
const port = await freePort();
const publicUrl = `http://127.0.0.1:${port}`;

const gatehouse = await createGatehouse({
  name: 'gatehouse-bench',
  version: '1.0.0',
  host: '127.0.0.1',
  port,
  publicUrl,
  auth: authFor(auth),
  ...storeFor(mode),
  logger: createLogger({ level: 'warn' }),
  // A product's usual gates stay on the hot path: every tool needs a scope, and plans are checked per request.
  tools: benchTools.map((t) => defineTool({ name: t.name, description: t.description, scope: 'mcp:read', input: t.input, handler: (input) => t.handler(input) })),
  plans: { definitions: { free: { title: 'Free', mcp: false }, paid: { title: 'Paid', mcp: true } }, defaultPlan: 'free' },
  // The same 25 tools as the peer: the built-in tools would only lengthen Gatehouse's tools/list.
  builtinTools: { whoami: false, get_capabilities: false, list_organizations: false, switch_organization: false },
  // The whole tool policy pipeline stays on: the per-credential request limit and the per-organization cost
  // units are counted on every call (limits high enough that the load never reaches them), and every call is audited.
  policy: { rateLimits: { requestsPerMinute: 10_000_000, costUnits: { points: 1_000_000_000, periodSec: 3600 } } },
});

if (auth === 'oauth') {
  // One organization and one member, as `gatehouse admin` would create them; the password comes from the runner via env.
  const directory = gatehouse.auth.directory;
  const organization = await directory.createOrganization({ slug: BENCH_ORG_SLUG, name: 'Bench Org', plan: 'paid' });
  const user = await directory.createUser({ email: BENCH_USER_EMAIL, name: 'Bench User', password: passwordFromEnv() });
  await directory.addMember(user.id, organization.id, 'member');
}

const listening = await gatehouse.listen();
exitOnSignal(() => gatehouse.close());
announce(listening.port);
