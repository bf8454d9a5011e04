import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AuthResult, Authenticator } from '../auth/authenticator.js';
import type { Principal } from '../auth/principal.js';
import { ConfigurationError } from '../errors/configuration-error.js';
import { GatehouseError } from '../errors/gatehouse-error.js';
import { checkEdge, type HostPolicy } from '../http/edge-guards.js';
import type { Logger } from '../log/logger.js';
import type { AddonAbsence, AddonRef } from '../policy/addon-disconnected.js';
import type { AddonCaller, AddonLink, AddonRouter } from '../policy/stages/route-to-addon.js';
import { AddonConnection } from './addon-connection.js';
import { admitCredential } from './admit-credential.js';
import { addonHubOptionsSchema, type AddonHubOptions, type AddonInfo, type ResolvedAddonHubOptions } from './addon-hub-options.js';
import { ADDON_CLOSE, type HelloMessage } from './addon-messages.js';
import { refuseUpgrade } from './refuse-upgrade.js';

/** What the hub is built from: the declared add-ons, the tools that name them, and how to check credentials. */
export interface AddonHubDeps {
  /** `policy.addons`. */
  readonly addons: Readonly<Record<string, { readonly title: string; readonly callTimeoutMs: number; readonly actionUrl?: string | undefined }>>;
  /** Add-ons without an `actionUrl` link to `<settingsUrl>#addon-<name>`. */
  readonly settingsUrl: string;
  /** The server's tools; those with `definition.addon` are the ones add-ons serve. */
  readonly tools: readonly { readonly name: string; readonly definition: { readonly addon?: string | undefined } }[];
  /** The same authenticator as `/mcp`: OAuth access tokens and API keys. */
  readonly authenticator: Authenticator;
  /** The scope every `/mcp` call needs, needed by add-on connections too. */
  readonly requiredScope?: string | undefined;
  readonly hosts: HostPolicy;
  readonly logger: Logger;
  readonly options?: AddonHubOptions;
}

/** A connected add-on, as an operator or a dashboard sees it. */
export interface AddonConnectionInfo {
  readonly id: string;
  readonly addon: string;
  readonly userId: string;
  /** The organization the add-on's credential is pinned to; `null` serves the user's calls in any. */
  readonly organizationId: string | null;
  readonly tools: readonly string[];
  /** When its `hello` was accepted, epoch ms. */
  readonly connectedAt: number;
}

const keyOf = (userId: string, addon: string) => `${userId}\u0000${addon}`;

function headerSource(req: IncomingMessage) {
  return {
    get(name: string): string | null {
      const value = req.headers[name.toLowerCase()];
      return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

/**
 * Live client-side add-ons (B-POL-07): accepts their WebSocket connections
 * at `/addons/connect`, authenticated like `/mcp`, and routes each add-on
 * tool call to one of the caller's own connections. Connections are indexed
 * by (user, add-on); among those that may serve a call the newest wins, and
 * the older ones stay as stand-bys that take over when it goes away.
 */
export class AddonHub implements AddonRouter {
  readonly options: ResolvedAddonHubOptions;
  readonly #deps: AddonHubDeps;
  readonly #addons = new Map<string, AddonInfo>();
  readonly #wss: WebSocketServer;
  /** Accepted connections per (user, add-on), oldest first. */
  readonly #byUser = new Map<string, AddonConnection[]>();
  /** Every open connection, including those still owing their `hello`. */
  readonly #all = new Set<AddonConnection>();
  #timer: ReturnType<typeof setInterval> | undefined;
  #closing = false;

  constructor(deps: AddonHubDeps) {
    this.#deps = deps;
    const parsed = addonHubOptionsSchema.safeParse(deps.options ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ConfigurationError(issue?.message ?? 'invalid options', `addons.${issue?.path.join('.') ?? ''}`);
    }
    this.options = parsed.data;
    for (const [name, a] of Object.entries(deps.addons)) {
      const tools = deps.tools.filter((t) => t.definition.addon === name).map((t) => t.name);
      this.#addons.set(name, { name, title: a.title, callTimeoutMs: a.callTimeoutMs, actionUrl: a.actionUrl ?? `${deps.settingsUrl}#addon-${name}`, tools });
    }
    this.#wss = new WebSocketServer({ noServer: true, maxPayload: this.options.maxMessageBytes, perMessageDeflate: false, clientTracking: false });
  }

  /** Takes the upgrade requests of `server` for the add-on path and starts the heartbeats. */
  attach(server: Server): void {
    server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      if (this.handleUpgrade(req, socket, head)) return;
      // Gatehouse owns this server: an upgrade nobody else listens for gets an answer, not a hanging socket.
      if (server.listenerCount('upgrade') > 1) return;
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      socket.on('error', () => undefined);
      refuseUpgrade(socket, new GatehouseError('not_found', { message: `No WebSocket endpoint at ${path.slice(0, 100)}; add-ons connect to ${this.options.path}.`, details: { resource: 'websocket_endpoint' } }), randomUUID());
    });
    if (this.#timer === undefined) {
      this.#timer = setInterval(() => void this.heartbeat().catch((err: unknown) => this.#deps.logger.warn({ err }, 'add-on heartbeat failed')), this.options.heartbeatMs);
      this.#timer.unref();
    }
  }

  /** Handles an upgrade request if it is for the add-on path; answers whether it was. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean {
    if ((req.url ?? '/').split('?')[0] !== this.options.path) return false;
    // A reset during the handshake must not become an unhandled 'error' event.
    socket.on('error', () => undefined);
    const requestId = randomUUID();
    if (this.#closing) {
      socket.destroy();
      return true;
    }
    const headers = headerSource(req);
    const edge = checkEdge(headers, this.#deps.hosts);
    if (edge !== undefined) {
      this.#refuse(socket, edge, requestId);
      return true;
    }
    const authorization = headers.get('authorization');
    const proceed = (result: AuthResult) => {
      const refusal = admitCredential(result, this.#deps.requiredScope);
      if (refusal !== undefined) return this.#refuse(socket, refusal, requestId, { 'www-authenticate': this.#deps.authenticator.challenge(refusal) });
      if (this.#closing) return socket.destroy();
      this.#wss.handleUpgrade(req, socket, head, (ws) => this.#open(ws, result as Principal, authorization));
    };
    const result = this.#deps.authenticator.authenticate(authorization);
    if (result instanceof Promise) {
      result.then(proceed, (err: unknown) => {
        this.#deps.logger.error({ err, request_id: requestId }, 'add-on authentication failed');
        this.#refuse(socket, new GatehouseError('internal_error', { cause: err }), requestId);
      });
    } else proceed(result);
    return true;
  }

  describe(addon: string): AddonRef {
    return this.#addons.get(addon) ?? { name: addon, title: addon, actionUrl: `${this.#deps.settingsUrl}#addon-${addon}` };
  }

  find(caller: AddonCaller, addon: string, tool: string): { readonly link: AddonLink } | { readonly absent: AddonAbsence } {
    const list = this.#byUser.get(keyOf(caller.userId, addon)) ?? [];
    let absent: AddonAbsence = 'not_connected';
    for (let i = list.length - 1; i >= 0; i--) {
      const c = list[i] as AddonConnection;
      // A credential pinned to an organization serves only calls acting in it.
      if (!c.ready || (c.principal.organizationId !== null && c.principal.organizationId !== caller.organizationId)) continue;
      if (!c.tools.has(tool)) {
        if (absent === 'not_connected') absent = 'tool_not_served';
        continue;
      }
      if (c.hasRoom) return { link: c };
      absent = 'busy';
    }
    return { absent };
  }

  /** The accepted connections, newest last. */
  connections(): AddonConnectionInfo[] {
    return [...this.#byUser.values()].flat().map((c) => ({
      id: c.id,
      addon: (c.addon as AddonInfo).name,
      userId: c.principal.userId,
      organizationId: c.principal.organizationId,
      tools: [...c.tools],
      connectedAt: c.acceptedAt,
    }));
  }

  /** Closes one connection (close code 4000: the add-on may reconnect). Answers whether it existed. */
  disconnect(connectionId: string, reason = 'disconnected by the server'): boolean {
    const c = [...this.#all].find((x) => x.id === connectionId);
    c?.close(ADDON_CLOSE.disconnected, reason);
    return c !== undefined;
  }

  /**
   * One heartbeat now: drops connections that did not answer the previous
   * ping, pings the rest, and re-authenticates every credential, closing
   * (4401) those that no longer verify or now act for someone else.
   */
  async heartbeat(): Promise<void> {
    const fromCache: AddonConnection[] = [];
    const checks: Promise<void>[] = [];
    for (const c of [...this.#all]) {
      if (!c.alive) {
        this.#deps.logger.info({ addon_connection: c.id, addon: c.addon?.name }, 'add-on missed a heartbeat; dropping it');
        c.terminate();
        continue;
      }
      c.ping();
      if (c.ready) checks.push(this.#recheck(c, fromCache));
    }
    await Promise.all(checks);
    if (fromCache.length === 0 || this.options.recheckMs === 0) return;
    await new Promise((resolve) => setTimeout(resolve, this.options.recheckMs).unref());
    await Promise.all(fromCache.filter((c) => c.ready).map((c) => this.#recheck(c)));
  }

  /** Closes every connection (1001, the add-ons reconnect to the next server) and stops the heartbeats. */
  async close(): Promise<void> {
    this.#closing = true;
    clearInterval(this.#timer);
    const all = [...this.#all];
    for (const c of all) c.close(ADDON_CLOSE.goingAway, 'server shutting down');
    await Promise.all(all.map((c) => c.closed()));
    this.#wss.close();
  }

  #refuse(socket: Duplex, error: GatehouseError, requestId: string, headers: Readonly<Record<string, string>> = {}): void {
    this.#deps.logger.info({ request_id: requestId, code: error.code }, 'add-on connection refused');
    refuseUpgrade(socket, error, requestId, headers);
  }

  #open(ws: WebSocket, principal: Principal, authorization: string | null): void {
    const connection = new AddonConnection(randomUUID(), ws, principal, authorization, {
      helloTimeoutMs: this.options.helloTimeoutMs,
      maxPendingCalls: this.options.maxPendingCalls,
      logger: this.#deps.logger,
      events: { hello: (c, hello) => this.#hello(c, hello), closed: (c) => this.#closed(c) },
    });
    this.#all.add(connection);
    if (this.#closing) connection.close(ADDON_CLOSE.goingAway, 'server shutting down');
  }

  #hello(c: AddonConnection, hello: HelloMessage): void {
    const info = this.#addons.get(hello.addon);
    if (info === undefined) {
      const declared = [...this.#addons.keys()].join(', ') || 'none';
      return c.close(ADDON_CLOSE.unknownAddon, `unknown add-on "${hello.addon.slice(0, 40)}": this server declares ${declared}`);
    }
    const offered = hello.tools;
    const tools = offered === undefined ? info.tools : info.tools.filter((t) => offered.includes(t));
    c.accept(info, tools, this.options.heartbeatMs);
    const key = keyOf(c.principal.userId, info.name);
    const list = this.#byUser.get(key) ?? [];
    this.#byUser.set(key, list);
    list.push(c);
    this.#deps.logger.info(
      {
        addon: info.name,
        addon_connection: c.id,
        user: c.principal.userId,
        organization: c.principal.organizationId,
        tools,
        ...(hello.version === undefined ? {} : { addon_version: hello.version }),
        // Tools a newer add-on offers that this server does not declare for it: never routed.
        ...(offered === undefined ? {} : { ignored_tools: offered.filter((t) => !info.tools.includes(t)) }),
      },
      'add-on connected',
    );
    // `#closed` takes each closed one out of `list`, so this ends.
    while (list.length > this.options.maxConnectionsPerUser) {
      (list[0] as AddonConnection).close(ADDON_CLOSE.replaced, `replaced: more than ${this.options.maxConnectionsPerUser} connections of this user to this add-on; the oldest was closed`);
    }
  }

  #closed(c: AddonConnection): void {
    this.#all.delete(c);
    if (c.addon === undefined) return;
    const key = keyOf(c.principal.userId, c.addon.name);
    const list = this.#byUser.get(key);
    const at = list?.indexOf(c) ?? -1;
    if (list !== undefined && at >= 0) list.splice(at, 1);
    if (list?.length === 0) this.#byUser.delete(key);
    this.#deps.logger.info({ addon: c.addon.name, addon_connection: c.id, user: c.principal.userId }, 'add-on disconnected');
  }

  async #recheck(c: AddonConnection, fromCache?: AddonConnection[]): Promise<void> {
    if (c.checking) return;
    c.checking = true;
    try {
      const pending = this.#deps.authenticator.authenticate(c.authorization);
      if (!(pending instanceof Promise)) fromCache?.push(c);
      const result = await pending;
      const refusal = admitCredential(result, this.#deps.requiredScope);
      if (refusal !== undefined) return c.close(ADDON_CLOSE.credentialRefused, `credential refused: ${refusal.code}`);
      const now = result as Principal;
      if (now.userId !== c.principal.userId || now.organizationId !== c.principal.organizationId) {
        return c.close(ADDON_CLOSE.credentialRefused, 'credential refused: it now acts for another user or organization');
      }
      c.principal = now;
    } catch (err) {
      // The store is unreachable: keep the connection, as the authenticator keeps serving what it verified.
      this.#deps.logger.warn({ err, addon_connection: c.id }, 'could not re-check an add-on credential');
    } finally {
      c.checking = false;
    }
  }
}
