import { createServer } from 'node:net';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createLogger } from '../../log/create-logger.js';
import { openDatabase } from '../../store/database.js';
import { CliUsageError } from '../cli-error.js';
import { DEMO_TEAM, seedDemoDirectory, type DemoAccount } from '../demo-account.js';

// Loaded on use: the server (and oidc-provider) costs start-up time every other command need not pay.
const loadServer = () =>
  Promise.all([import('../../../examples/demo/mailroom.js'), import('../../../examples/demo/seed-data.js'), import('../../server/create-gatehouse.js')]);

export const devHelp = `gatehouse dev [--port N] [--data DIR] [--insecure-no-auth] [--log-format json|pretty] [--log-level LEVEL]

Runs the Mailroom demo (an email-marketing SaaS) on an embedded SQLite file, with the built-in
OAuth 2.1 authorization server. On start it makes sure a demo account (owner of both demo
organizations) exists and prints its email and password (kept in DIR/demo-account.txt, mode 0600).
  --port N            TCP port, default 8787 (0 picks a free one)
  --data DIR          where the SQLite file, the server secret and the demo account live, default ./.gatehouse
  --insecure-no-auth  serve without authorization, bound to 127.0.0.1 only; every call acts
                      as a local developer of the Acme Outfitters organization
  --log-format        json (default) or pretty
  --log-level         trace, debug, info (default), warn, error
Environment: GATEHOUSE_SECRET, the server secret (default: generated once into DIR/secret).`;

function parse(args: string[]) {
  try {
    return parseArgs({
      args,
      options: {
        port: { type: 'string', default: '8787' },
        data: { type: 'string', default: '.gatehouse' },
        'insecure-no-auth': { type: 'boolean', default: false },
        'log-format': { type: 'string', default: 'json' },
        'log-level': { type: 'string', default: 'info' },
      },
      strict: true,
    }).values;
  } catch (err) {
    throw new CliUsageError((err as Error).message);
  }
}

/** A free port on loopback: the issuer URL must name the real port before the server starts. */
function freePort(): Promise<number> {
  return new Promise((done, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
  });
}

/** How to run this same CLI again from the current folder, for the printed instructions. */
function selfCommand(): string {
  const script = process.argv[1] ?? '';
  if (script === '' || script.includes('node_modules')) return 'npx gatehouse';
  const rel = relative(process.cwd(), script);
  return `node ${rel.startsWith('..') || isAbsolute(rel) ? script : rel}`;
}

const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

function banner(url: string, account: DemoAccount, dataArg: string): string {
  const cli = selfCommand();
  const shownFile = relative(process.cwd(), account.file).startsWith('..') ? account.file : relative(process.cwd(), account.file);
  return [
    '',
    `  Mailroom demo is running. MCP endpoint: ${url}`,
    '',
    '  Demo account (owner of Acme Outfitters and Globex, on paid plans, and of Initech, on the free plan):',
    `    email      ${account.email}`,
    `    password   ${account.password}`,
    `    (kept in ${shownFile}; delete that file for a new password)`,
    `  The same password signs in ${DEMO_TEAM.map((p) => `${p.email} (${p.role})`).join(', ')} of Acme.`,
    '',
    '  Connect a client; it opens your browser to sign in with the account above:',
    `    Claude Code     claude mcp add --transport http mailroom ${url}`,
    `    MCP Inspector   npx @modelcontextprotocol/inspector  (Streamable HTTP, URL ${url}, then Connect)`,
    '',
    '  curl, with an API key instead of a browser sign-in:',
    `    KEY=$(${cli} admin key create --email ${account.email} --org acme${dataArg})`,
    `    curl -s ${url} -H "authorization: Bearer $KEY" -H 'content-type: application/json' \\`,
    `      -d '{"jsonrpc":"2.0","id":1,"method":"tools/list"}'`,
    '',
    '  The Mailroom Desktop add-on (serves preview_on_device), with that key:',
    `    GATEHOUSE_URL=${new URL(url).origin} GATEHOUSE_API_KEY=$KEY node dist/examples/addon/desktop-addon.js`,
    '',
    '  Press Ctrl+C to stop.',
    '',
  ].join('\n');
}

const insecureBanner = (url: string) =>
  [
    '',
    `  Mailroom demo is running. MCP endpoint: ${url}`,
    '',
    '  Connect a client (authorization is off, local use only):',
    `    Claude Code     claude mcp add --transport http mailroom ${url}`,
    `    MCP Inspector   npx @modelcontextprotocol/inspector  (Streamable HTTP, URL ${url})`,
    `    curl            curl -s ${url} -H 'content-type: application/json' \\`,
    `                      -d '{"jsonrpc":"2.0","id":1,"method":"tools/list"}'`,
    '',
    '  Press Ctrl+C to stop.',
    '',
  ].join('\n');

export async function devCommand(args: string[]): Promise<void> {
  const values = parse(args);
  const requestedPort = Number(values.port);
  if (!Number.isInteger(requestedPort) || requestedPort < 0 || requestedPort > 65_535) throw new CliUsageError(`--port must be a port number, got ${values.port}`);
  const format = values['log-format'];
  if (format !== 'json' && format !== 'pretty') throw new CliUsageError('--log-format must be json or pretty');
  const level = values['log-level'];
  if (!['trace', 'debug', 'info', 'warn', 'error'].includes(level)) throw new CliUsageError('--log-level must be trace, debug, info, warn or error');
  const insecure = values['insecure-no-auth'];
  const secret = process.env.GATEHOUSE_SECRET === undefined || process.env.GATEHOUSE_SECRET === '' ? undefined : process.env.GATEHOUSE_SECRET;

  const file = resolve(values.data, 'gatehouse.sqlite');
  const port = requestedPort === 0 && !insecure ? await freePort() : requestedPort;
  const logger = createLogger({ level: level as 'info', format });
  const [{ createMailroom, MAILROOM_PLANS }, { ORG_SEEDS }, { createGatehouse }] = await loadServer();
  // The demo keeps its product data in the same SQLite file, in its own tables.
  const productDb = openDatabase({ kind: 'sqlite', file });
  const mailroom = await createMailroom(productDb, { addons: true });
  const gatehouse = await createGatehouse({
    name: 'mailroom',
    title: 'Mailroom',
    version: '1.0.0',
    instructions: 'Mailroom is an email-marketing product: subscribers, segments, sender profiles, campaigns (draft → scheduled → sent) and reports.',
    port,
    host: '127.0.0.1',
    // The issuer and every advertised URL need the real port, known up front.
    ...(insecure ? {} : { publicUrl: `http://localhost:${port}` }),
    auth: insecure ? { kind: 'insecure-none', organizationId: 'org_acme' } : { kind: 'oauth' },
    plans: MAILROOM_PLANS,
    // mailroom.policy declares the CRM connector and the Mailroom Desktop add-on (examples/addon/desktop-addon.ts), which serves preview_on_device.
    store: { kind: 'sqlite', file },
    ...(secret === undefined ? {} : { secret }),
    logger,
    ...mailroom,
  });
  // Gatehouse's directory mirrors the product's organizations, under the same ids.
  const account = await seedDemoDirectory(
    gatehouse.auth.directory,
    dirname(file),
    [
      ...ORG_SEEDS.map((o) => ({ id: o.orgId, slug: o.orgId.replace(/^org_/, ''), name: o.name, plan: o.plan })),
      // A free-plan organization, so plan_required can be seen from a real client.
      { id: 'org_initech', slug: 'initech', name: 'Initech', plan: 'starter' },
    ],
  );
  // On first start: Acme's CRM is connected and Globex's has expired, so both connector errors and a working sync can be seen.
  if ((await gatehouse.database.db.selectFrom('connectors').select('connector').limit(1).execute()).length === 0) {
    await gatehouse.connectors.connect('org_acme', 'crm');
    await gatehouse.connectors.connect('org_globex', 'crm', { expiresAt: Date.now() - 86_400_000 });
  }
  const { url } = await gatehouse.listen();
  if (insecure) {
    logger.warn({ organization: 'org_acme' }, 'authorization is OFF (--insecure-no-auth): every request acts as the local developer');
    process.stderr.write(insecureBanner(url));
  } else {
    process.stderr.write(banner(url, account, values.data === '.gatehouse' ? '' : ` --data ${quote(values.data)}`));
  }
  const stop = () => {
    void gatehouse.close().then(() => productDb.close()).then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
