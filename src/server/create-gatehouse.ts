import type { Hono } from 'hono';
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AddonHub } from '../addons/addon-hub.js';
import type { AccessCheck } from '../auth/oauth/create-provider.js';
import { ConfigurationError } from '../errors/configuration-error.js';
import { createApp } from '../http/app.js';
import { hostPolicy } from '../http/edge-guards.js';
import { organizationRoutes } from '../http/api/organization-routes.js';
import { McpEndpoint } from '../http/mcp-endpoint.js';
import { createNodeListener } from '../http/node-listener.js';
import { NotificationStreams } from '../http/notification-streams.js';
import { createLogger } from '../log/create-logger.js';
import type { Logger } from '../log/logger.js';
import type { AuditLog } from '../audit/audit-log.js';
import { SqlAuditLog } from '../audit/sql-audit-log.js';
import { applyPolicyDefaults } from '../policy/apply-policy-defaults.js';
import { IdempotencyStore } from '../policy/idempotency-store.js';
import { policyArguments } from '../policy/policy-arguments.js';
import { RateLimits } from '../policy/rate-limits.js';
import { META_OUTPUT_SCHEMA } from '../policy/stages/data-freshness.js';
import { ToolPipeline } from '../policy/tool-pipeline.js';
import { ClientRequestBroker } from '../protocol/client-request-broker.js';
import { Dispatcher } from '../protocol/dispatcher.js';
import { LocalEventBus } from '../protocol/event-bus.js';
import { compileRegistry, type Registry } from '../protocol/registry.js';
import { RequestStateCodec } from '../protocol/request-state-codec.js';
import { openDatabase, type Database } from '../store/database.js';
import { migrateToLatest } from '../store/migrate.js';
import { gatehouseMigrations } from '../store/migrations/index.js';
import type { GatehouseSchema } from '../store/schema.js';
import { SqlChangeNotices } from '../store/change-notices.js';
import { SqlSessionStore } from '../store/sql-session-store.js';
import { SecretBox } from '../store/secret-box.js';
import { ConnectorRegistry } from '../tenancy/connectors.js';
import { OrganizationSettings } from '../tenancy/organization-settings.js';
import { builtinTools } from '../tenancy/builtin-tools.js';
import { MembershipCache } from '../tenancy/membership-cache.js';
import { PlanGate } from '../tenancy/plan-gate.js';
import { ToolAccess } from '../tenancy/tool-access.js';
import { serverOptionsSchema, type GatehouseOptions, type ResolvedServerOptions } from './options.js';
import { buildAuth, createDirectory, type BuiltAuth } from './build-auth.js';
import { buildPolicyStages } from './build-policy-stages.js';
import { mountRoutes } from './mount-routes.js';
import { resolveServerSecret } from './secret.js';

/** A running-ready Gatehouse: the HTTP app, its store, and the levers a product pulls. */
export interface Gatehouse {
  readonly app: Hono;
  readonly options: ResolvedServerOptions;
  readonly publicUrl: URL;
  readonly registry: Registry;
  readonly database: Database<GatehouseSchema>;
  readonly logger: Logger;
  /** Users, organizations, API keys and (with `auth.kind: 'oauth'`) the authorization server. */
  readonly auth: BuiltAuth;
  /** Organizations' write-back and PII settings (B-POL-05, B-POL-08). */
  readonly settings: OrganizationSettings;
  /** Organizations' integrations (B-POL-06). */
  readonly connectors: ConnectorRegistry;
  /** Live client-side add-ons (B-POL-07): who is connected, a heartbeat on demand, disconnecting one. */
  readonly addons: AddonHub;
  /** Where sign-ins, tokens, keys and tool calls are audited: the store's audit log, or `options.auditLog` (B-OPS-02). */
  readonly audit: AuditLog;
  /** Handles one web-standard request (tests, other runtimes). OAuth endpoints need `listen()`: they run on Node's request. */
  fetch(request: Request): Promise<Response>;
  /** Binds `options.host:options.port` and resolves with the address. */
  listen(): Promise<{ readonly url: string; readonly port: number }>;
  /** Announce changes to listening clients. */
  readonly notify: {
    toolsChanged(): void;
    promptsChanged(): void;
    resourcesChanged(): void;
    resourceUpdated(uri: string): void;
  };
  close(): Promise<void>;
}

/**
 * Builds a Gatehouse from the product's declarations and options: validates
 * everything, opens and migrates the store, and compiles the tool registry,
 * so all the work that can be done once is done before the first request.
 */
export async function createGatehouse(input: GatehouseOptions): Promise<Gatehouse> {
  const parsed = serverOptionsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigurationError(issue?.message ?? 'invalid options', issue?.path.join('.') || 'options');
  }
  const options = parsed.data;
  const logger = input.logger ?? createLogger();
  const publicUrl = new URL(options.publicUrl ?? `http://localhost:${options.port}`);
  const secret = resolveServerSecret(options);

  const database = openDatabase<GatehouseSchema>(options.store);
  await migrateToLatest(database.db, gatehouseMigrations);
  // Gatehouse's own audit log unless the product brings one: buffered, written in batches off the hot path (B-OPS-02).
  const ownAudit = input.auditLog === undefined ? new SqlAuditLog(database.db, { ...options.audit, logger, ...(input.clock === undefined ? {} : { now: input.clock }) }) : undefined;
  const audit: AuditLog = input.auditLog ?? (ownAudit as SqlAuditLog);
  const notices = new SqlChangeNotices(database.db, { onError: (err) => logger.warn({ err }, 'change notices could not be read; caches fall back to their time limits') });
  await notices.start();
  const directory = createDirectory(options, database.db, notices);
  const planGate = options.plans === undefined ? undefined : new PlanGate(directory, options.plans, options.plans.upgradeUrl ?? new URL('/dashboard/plan', publicUrl).href, notices);
  // Plans first, then the product's own check (suspensions, …), at consent and at every refresh.
  const accessCheck: AccessCheck = async (check) => (await planGate?.check(check.organizationId, check.phase)) ?? (await input.accessCheck?.(check));
  const auth = await buildAuth(options, { db: database.db, directory, publicUrl, secret, logger, product: options.title ?? options.name, accessCheck, audit });
  const memberships = new MembershipCache(directory, 60_000, notices);
  // The built-in tools describe the compiled registry they are part of: bound once it exists.
  const late: { toolAccess?: ToolAccess; registry?: Registry } = {};
  const builtins = builtinTools(
    {
      directory: auth.directory,
      memberships,
      plans: planGate,
      toolAccess: () => late.toolAccess as ToolAccess,
      tools: () => late.registry?.toolList ?? [],
      tenancy: options.tenancy,
      secret,
      publicUrl,
      signInAvailable: auth.as !== undefined,
      ...(options.auth.kind === 'jwt' ? { externalSignInUrl: options.auth.issuer } : {}),
    },
    options.builtinTools,
  );
  const policy = options.policy;
  const workspaceArgument =
    options.tenancy.mode === 'per-call'
      ? { [options.tenancy.parameter]: { type: 'string', description: 'Id or slug of the workspace to act in (see list_organizations). Optional when you belong to exactly one.' } }
      : {};
  const registry = compileRegistry({
    tools: [...input.tools.map((t, i) => applyPolicyDefaults(t, policy, i)), ...builtins],
    prompts: input.prompts ?? [],
    resources: input.resources ?? [],
    extensions: {
      arguments: (def) => ({ ...(def.tenant === 'none' ? {} : workspaceArgument), ...policyArguments(def) }),
      output: (def): Record<string, Record<string, unknown>> => (def.freshness === undefined ? {} : { meta: META_OUTPUT_SCHEMA }),
    },
  });
  const toolAccess = new ToolAccess(options.access, registry.toolList);
  Object.assign(late, { registry, toolAccess });
  const clock = input.clock ?? Date.now;
  const settings = new OrganizationSettings(database.db, notices, 60_000, clock);
  const connectors = new ConnectorRegistry(database.db, new SecretBox(secret, 'connectors'), notices, 60_000, clock);
  const settingsUrl = policy.settingsUrl ?? new URL('/dashboard/settings', publicUrl).href;
  const limits = new RateLimits(policy.rateLimits, planGate === undefined ? undefined : (organizationId) => {
    const status = planGate.status(organizationId);
    return status instanceof Promise ? status.then((s) => s?.limits) : status?.limits;
  });
  const idempotency = new IdempotencyStore(database.db, { ttlMs: policy.idempotency.ttlMs, abandonAfterMs: options.limits.toolTimeoutMs + 60_000, now: clock });
  const addons = new AddonHub({ addons: policy.addons, settingsUrl, tools: registry.toolList, authenticator: auth.authenticator, requiredScope: auth.requiredScope, hosts: hostPolicy(publicUrl, options.allowedHosts, options.allowedOrigins), logger });
  const stages = buildPolicyStages({
    options,
    audit,
    clock,
    memberships,
    planGate,
    directory: auth.directory,
    toolAccess,
    settings,
    connectors,
    settingsUrl,
    limits,
    idempotency,
    addons,
  });
  const sessions = new SqlSessionStore(database.db, options.limits.sessionIdleMs);
  const sweep = async () => {
    await sessions.sweep();
    await auth.as?.sweep();
    await idempotency.sweep();
  };
  const sweeper = setInterval(() => void sweep().catch((err: unknown) => logger.warn({ err }, 'sweep failed')), 10 * 60_000);
  sweeper.unref();

  const server = { name: options.name, version: options.version, ...(options.title === undefined ? {} : { title: options.title }), ...(options.instructions === undefined ? {} : { instructions: options.instructions }) };
  const events = new LocalEventBus();
  const streams = new NotificationStreams(events, registry.capabilities, server, { keepAliveMs: options.limits.keepAliveMs, maxStreams: options.limits.maxStreams });
  const dispatcher = new Dispatcher({
    registry,
    invoker: new ToolPipeline(stages, { toolTimeoutMs: options.limits.toolTimeoutMs }),
    server,
    requestState: new RequestStateCodec(createHash('sha256').update(`request-state\0${secret}`).digest()),
    sessions,
    subscriptions: streams,
    listCache: { ttlMs: 0, scope: 'private' },
    toolGate: toolAccess,
  });
  const endpoint = new McpEndpoint({
    dispatcher,
    registry,
    authenticator: auth.authenticator,
    requiredScope: auth.requiredScope,
    sessions,
    broker: new ClientRequestBroker(),
    streams,
    hosts: hostPolicy(publicUrl, options.allowedHosts, options.allowedOrigins),
    logger,
    maxBodyBytes: options.limits.maxBodyBytes,
    clientRequestTimeoutMs: options.limits.clientRequestTimeoutMs,
    keepAliveMs: options.limits.keepAliveMs,
    ...(planGate === undefined ? {} : { admission: (principal, method) => (principal.organizationId === null ? undefined : planGate.admit(principal, principal.organizationId, method)) }),
    limiter: (principal) => limits.request(principal),
  });
  const app = createApp({ endpoint, logger });
  mountRoutes(app, auth);
  const roleOrder = Object.keys(options.access.roles);
  // Members are visible to the roles down to `admin` (or the most powerful role when there is no admin).
  const listersUpTo = Math.max(0, roleOrder.indexOf('admin'));
  app.route(
    '/',
    organizationRoutes({
      authenticator: auth.authenticator,
      mode: options.tenancy.mode,
      memberships: (userId) => memberships.get(userId),
      admit: (principal, organizationId) => planGate?.admit(principal, organizationId, 'rest'),
      canListMembers: (role) => roleOrder.indexOf(role) >= 0 && roleOrder.indexOf(role) <= listersUpTo,
      describe: async (organizationId) => ({
        plan: (await directory.getOrganization(organizationId))?.plan ?? null,
        members: (await directory.membersOf(organizationId)).map((m) => ({ email: m.user.email, name: m.user.name, role: m.role })),
      }),
    }) as unknown as Hono,
  );
  let httpServer: Server | undefined;

  return {
    app,
    options,
    publicUrl,
    registry,
    database,
    logger,
    auth,
    settings,
    connectors,
    addons,
    audit,
    fetch: async (request) => app.fetch(request),
    listen: () =>
      new Promise((resolve, reject) => {
        const server = createServer(createNodeListener({ endpoint, app, logger, as: auth.as, trustProxy: options.trustProxy }));
        httpServer = server;
        addons.attach(server);
        server.once('error', reject);
        server.listen(options.port, options.host, () => {
          const port = (server.address() as AddressInfo).port;
          // Without a configured public URL, say where we really listen (port 0 picks one).
          const base = options.publicUrl === undefined ? `http://localhost:${port}` : publicUrl;
          const url = new URL('/mcp', base).href;
          logger.info({ url, port, tools: registry.toolList.length }, 'MCP server registered at /mcp');
          if (auth.as !== undefined) {
            logger.info({ issuer: auth.as.issuer, resource: auth.as.resourceUrl, metadata: `${auth.as.issuer}/.well-known/oauth-authorization-server` }, 'MCP OAuth provider initialized');
          }
          resolve({ url, port });
        });
      }),
    notify: {
      toolsChanged: () => events.publish({ type: 'tools_list_changed' }),
      promptsChanged: () => events.publish({ type: 'prompts_list_changed' }),
      resourcesChanged: () => events.publish({ type: 'resources_list_changed' }),
      resourceUpdated: (uri) => events.publish({ type: 'resource_updated', uri }),
    },
    async close() {
      clearInterval(sweeper);
      notices.stop();
      streams.closeAll();
      // Upgraded sockets hold the HTTP server open: close them first.
      await addons.close();
      await new Promise<void>((resolve) => (httpServer === undefined ? resolve() : httpServer.close(() => resolve())));
      // After the last request, before the store goes: what is buffered is written.
      await (ownAudit?.close() ?? audit.flush?.().catch((err: unknown) => logger.warn({ err }, 'the audit log could not be flushed')));
      await database.close();
    },
  };
}
