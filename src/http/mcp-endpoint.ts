import { randomUUID } from 'node:crypto';
import type { Authenticator } from '../auth/authenticator.js';
import type { Principal } from '../auth/principal.js';
import { GatehouseError } from '../errors/gatehouse-error.js';
import { lazyChild } from '../log/lazy-child.js';
import type { Logger } from '../log/logger.js';
import { classify, type Classification } from '../protocol/classify.js';
import type { ClientRequestBroker } from '../protocol/client-request-broker.js';
import type { Dispatcher } from '../protocol/dispatcher.js';
import type { Exchange } from '../protocol/exchange.js';
import { isResponse, type JsonRpcRequest, type RequestId } from '../protocol/jsonrpc.js';
import type { LegacySession, SessionStore } from '../protocol/legacy-session.js';
import type { Outcome } from '../protocol/outcome.js';
import { checkParamHeaders } from '../protocol/param-headers.js';
import { parseMessage } from '../protocol/parse-message.js';
import type { Registry } from '../protocol/registry.js';
import type { OrganizationRef } from '../tools/tool-context.js';
import { corsHeaders, preflight } from './cors.js';
import { checkEdge, type HostPolicy } from './edge-guards.js';
import { encodeHttpError } from './encode-http-error.js';
import { jsonRpcError, jsonRpcStatus } from './encode-jsonrpc.js';
import type { NotificationStreams } from './notification-streams.js';
import { jsonReply, type InboundRequest, type Reply } from './http-message.js';
import { HttpExchange } from './http-exchange.js';
import { ResponseChannel } from './response-channel.js';

export interface McpEndpointOptions {
  readonly dispatcher: Dispatcher;
  readonly registry: Registry;
  readonly authenticator: Authenticator;
  /** Scope every call must carry; without it: 403 with a step-up challenge (B-AUTH-08). */
  readonly requiredScope: string | undefined;
  readonly sessions: SessionStore;
  readonly broker: ClientRequestBroker;
  readonly streams: NotificationStreams;
  readonly hosts: HostPolicy;
  readonly logger: Logger;
  readonly maxBodyBytes: number;
  readonly clientRequestTimeoutMs: number;
  readonly keepAliveMs: number;
  /**
   * Per-request admission after authentication (plans, suspensions): a
   * returned catalogue error is answered at the transport with its status.
   * Must answer synchronously from its caches on the hot path.
   */
  readonly admission?: Admission;
  /**
   * The per-credential request limit, checked right after authentication
   * (B-POL-02): a returned `rate_limited` is answered 429 with `Retry-After`.
   */
  readonly limiter?: (principal: Principal) => GatehouseError | undefined | Promise<GatehouseError | undefined>;
}

/** Decides whether an authenticated principal may make a request of this method. */
export type Admission = (principal: Principal, method: string) => GatehouseError | undefined | Promise<GatehouseError | undefined>;

// Principals are cached per credential, so each credential's organization object is built once.
const organizations = new WeakMap<Principal, OrganizationRef | null>();
function organizationOf(principal: Principal): OrganizationRef | null {
  let org = organizations.get(principal);
  if (org === undefined) {
    org = principal.organizationId === null ? null : { id: principal.organizationId, ...(principal.role === undefined ? {} : { role: principal.role }) };
    organizations.set(principal, org);
  }
  return org;
}

const JSON_TYPE = /^application\/json\s*(;|$)/i;
const SESSION_METHODS = 'POST, OPTIONS';

function accepts(accept: string | null, type: string): boolean {
  return accept !== null && (accept.includes(type) || accept.includes('*/*'));
}

/**
 * Streamable HTTP at `/mcp` for both protocol revisions. The order of checks
 * is the order of the error layers: edge, credentials, transport, JSON-RPC,
 * then dispatch. Adapters bring requests in (web or Node) and write replies out.
 */
export class McpEndpoint {
  constructor(private readonly o: McpEndpointOptions) {}

  async handle(request: InboundRequest): Promise<Reply> {
    const requestId = randomUUID();
    const cors = corsHeaders(request.headers.get('origin'), this.o.hosts);
    const headers = { 'x-request-id': requestId, 'x-content-type-options': 'nosniff', ...cors };
    const edge = checkEdge(request.headers, this.o.hosts);
    if (edge !== undefined) return encodeHttpError(edge, requestId, headers);
    switch (request.method) {
      case 'POST':
        return this.#post(request, requestId, headers);
      case 'GET':
      case 'DELETE':
        return this.#sessionRequest(request, requestId, headers);
      case 'OPTIONS':
        return preflight(request.headers.get('origin'), this.o.hosts, 'GET, POST, DELETE, OPTIONS');
      default:
        return this.#notAllowed('GET, POST, DELETE, OPTIONS', requestId, headers);
    }
  }

  #notAllowed(allow: string, requestId: string, headers: Readonly<Record<string, string>>, message?: string): Reply {
    const error = new GatehouseError('method_not_allowed', { ...(message === undefined ? {} : { message }), details: { allow: allow.split(', ') } });
    return encodeHttpError(error, requestId, { ...headers, allow });
  }

  #authenticate(request: InboundRequest, requestId: string, headers: Readonly<Record<string, string>>): Principal | Reply | Promise<Principal | Reply> {
    const challenge = (err: GatehouseError) => encodeHttpError(err, requestId, { ...headers, 'www-authenticate': this.o.authenticator.challenge(err) });
    const required = this.o.requiredScope;
    const refuse = (result: Principal | GatehouseError): Principal | Reply => {
      if (result instanceof GatehouseError) return challenge(result);
      if (required !== undefined && !result.scopes.has(required)) {
        return challenge(new GatehouseError('insufficient_scope', { message: `Missing required scope: ${required}`, details: { required_scope: required } }));
      }
      return result;
    };
    const pending = this.o.authenticator.authenticate(request.headers.get('authorization'));
    // A cached verification answers synchronously; only a real verification is awaited.
    return pending instanceof Promise ? pending.then(refuse) : refuse(pending);
  }

  async #post(request: InboundRequest, requestId: string, headers: Readonly<Record<string, string>>): Promise<Reply> {
    const authenticated = this.#authenticate(request, requestId, headers);
    const principal = authenticated instanceof Promise ? await authenticated : authenticated;
    if (!('credentialId' in principal)) return principal;
    if (this.o.limiter !== undefined) {
      const limited = this.o.limiter(principal);
      const refusal = limited instanceof Promise ? await limited : limited;
      if (refusal !== undefined) return encodeHttpError(refusal, requestId, headers);
    }
    if (!JSON_TYPE.test(request.headers.get('content-type') ?? '')) {
      return encodeHttpError(new GatehouseError('unsupported_media_type'), requestId, headers);
    }
    const accept = request.headers.get('accept');
    if (accept !== null && !accepts(accept, 'application/json') && !accepts(accept, 'text/event-stream') && !accept.includes('application/*')) {
      return encodeHttpError(new GatehouseError('not_acceptable'), requestId, headers);
    }
    const body = await request.readBody(this.o.maxBodyBytes);
    if (body instanceof GatehouseError) return encodeHttpError(body, requestId, headers);

    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch {
      return this.#rpcError(null, new GatehouseError('parse_error'), 400, requestId, headers);
    }
    const parsed = parseMessage(value);
    if (!parsed.ok) return this.#rpcError(parsed.id, parsed.error, 400, requestId, headers);
    const message = parsed.message;
    if (isResponse(message)) {
      // A client answering a server-to-client request of a 2025-11-25 session.
      this.o.broker.resolve(message, principal.credentialId);
      return { status: 202, headers, body: null };
    }
    const cls = classify(message, request.headers);
    const rpcId = 'id' in message ? message.id : null;
    if (!cls.ok) return this.#rpcError(rpcId, cls.error, 400, requestId, headers);
    if (cls.era === 'modern' && message.method === 'tools/call') {
      const tool = this.o.registry.tools.get(String(message.params?.name));
      const args = message.params?.arguments;
      const mismatch = tool === undefined || typeof args !== 'object' || args === null ? undefined : checkParamHeaders(tool, args as Record<string, unknown>, request.headers);
      if (mismatch !== undefined) return this.#rpcError(rpcId, mismatch, 400, requestId, headers);
    }
    let session: LegacySession | undefined;
    const sessionId = request.headers.get('mcp-session-id');
    if (cls.era === 'legacy' && sessionId !== null && message.method !== 'initialize') {
      session = await this.o.sessions.get(sessionId, principal.credentialId);
      if (session === undefined) return encodeHttpError(new GatehouseError('session_not_found'), requestId, headers);
    }
    if (!('id' in message)) return { status: 202, headers, body: null };
    if (this.o.admission !== undefined) {
      const admitted = this.o.admission(principal, message.method);
      const refusal = admitted instanceof Promise ? await admitted : admitted;
      if (refusal !== undefined) return encodeHttpError(refusal, requestId, headers);
    }
    return this.#request(request, message, cls, principal, session, requestId, headers);
  }

  async #request(
    request: InboundRequest,
    message: JsonRpcRequest,
    cls: Exclude<Classification, { ok: false }>,
    principal: Principal,
    session: LegacySession | undefined,
    requestId: string,
    headers: Readonly<Record<string, string>>,
  ): Promise<Reply> {
    const accept = request.headers.get('accept');
    const channel = new ResponseChannel({
      canStream: accept !== null && accept.includes('text/event-stream'),
      headers,
      onCancel: () => {},
      keepAliveMs: this.o.keepAliveMs,
    });
    const meta = message.params?._meta as Record<string, unknown> | undefined;
    const progressToken = meta?.progressToken;
    const ex: Exchange = new HttpExchange(
      {
      era: cls.era,
      protocolVersion: session?.protocolVersion ?? cls.version,
      rpcId: message.id,
      requestId,
      principal,
      organization: organizationOf(principal),
      logger: lazyChild(this.o.logger, { request_id: requestId }),
      client:
        cls.era === 'modern'
          ? { protocolVersion: cls.version, capabilities: cls.envelope.clientCapabilities, ...(cls.envelope.clientInfo === undefined ? {} : { info: cls.envelope.clientInfo }) }
          : { protocolVersion: session?.protocolVersion ?? cls.version, capabilities: session?.clientCapabilities ?? {}, ...(session?.clientInfo === undefined ? {} : { info: session.clientInfo }) },
      logLevel: cls.era === 'modern' ? cls.envelope.logLevel : (session?.logLevel ?? 'info'),
      progressToken: typeof progressToken === 'string' || typeof progressToken === 'number' ? progressToken : undefined,
      session,
      idempotencyKey: request.headers.get('idempotency-key') ?? undefined,
      emit: (n) => channel.send(n),
      askClient:
        session === undefined || !channel.canStream
          ? undefined
          : (requests) =>
              this.o.broker.ask(requests, {
                credentialId: principal.credentialId,
                send: (r) => channel.send(r),
                signal: request.signal,
                timeoutMs: this.o.clientRequestTimeoutMs,
              }),
      },
      request,
    );

    const dispatched = this.o.dispatcher.dispatch(message, ex);
    if (!(dispatched instanceof Promise)) {
      // A synchronous handler may still have sent progress or log messages first.
      const streamed = channel.response;
      if (streamed === undefined) return this.#respond(dispatched, ex, requestId, headers);
      channel.finish(this.#finalJson(dispatched, message.id, requestId));
      return streamed;
    }
    const dispatching = dispatched;
    if (!channel.canStream) return this.#respond(await dispatching, ex, requestId, headers);
    const first = await Promise.race([dispatching, channel.whenStreaming()]);
    if (!('status' in first)) return this.#respond(first, ex, requestId, headers);
    dispatching
      .then((outcome) => channel.finish(this.#finalJson(outcome, message.id, requestId)))
      .catch((err: unknown) => {
        // The status line is sent; the failure can only travel as the final frame.
        ex.logger.error({ err }, 'streamed response failed');
        channel.finish(jsonRpcError(message.id, new GatehouseError('internal_error', { cause: err }), requestId));
      });
    return first;
  }

  #respond(outcome: Outcome, ex: Exchange, requestId: string, headers: Readonly<Record<string, string>>): Reply {
    switch (outcome.kind) {
      case 'listen':
        if (this.o.streams.full) {
          const error = new GatehouseError('internal_error', { message: 'Subscription limit reached' });
          return this.#rpcError(ex.rpcId, error, 200, requestId, headers);
        }
        return this.o.streams.listen(ex.rpcId, outcome.filter, headers);
      case 'error':
        if (outcome.error.code === 'internal_error') ex.logger.error({ err: outcome.error.cause }, 'request failed');
        return this.#rpcError(ex.rpcId, outcome.error, jsonRpcStatus(outcome.error, outcome.origin, ex.era), requestId, headers);
      default: {
        const out = outcome.kind === 'result' && outcome.session !== undefined ? { ...headers, 'mcp-session-id': outcome.session.id } : headers;
        return jsonReply(200, this.#finalJson(outcome, ex.rpcId, requestId), out);
      }
    }
  }

  #finalJson(outcome: Outcome, id: RequestId, requestId: string): string {
    switch (outcome.kind) {
      case 'json':
        return `{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":${outcome.json}}`;
      case 'result':
        return JSON.stringify({ jsonrpc: '2.0', id, result: outcome.result });
      case 'error':
        return jsonRpcError(id, outcome.error, requestId);
      case 'listen':
        return jsonRpcError(id, new GatehouseError('invalid_request', { message: 'subscriptions/listen cannot be combined with other output' }), requestId);
    }
  }

  #rpcError(id: RequestId | null, error: GatehouseError, status: number, requestId: string, headers: Readonly<Record<string, string>>): Reply {
    return jsonReply(status, jsonRpcError(id, error, requestId), headers);
  }

  /** GET (notification stream) and DELETE (end session) of 2025-11-25 sessions. */
  async #sessionRequest(request: InboundRequest, requestId: string, headers: Readonly<Record<string, string>>): Promise<Reply> {
    // Credentials first: an unauthenticated probe of any method is the discovery 401 (B-AUTH-01).
    const principal = await this.#authenticate(request, requestId, headers);
    if (!('credentialId' in principal)) return principal;
    const sessionId = request.headers.get('mcp-session-id');
    if (sessionId === null) {
      return this.#notAllowed(SESSION_METHODS, requestId, headers, `${request.method} /mcp needs the Mcp-Session-Id of a 2025-11-25 session; send JSON-RPC messages with POST.`);
    }
    const session = await this.o.sessions.get(sessionId, principal.credentialId);
    if (session === undefined) return encodeHttpError(new GatehouseError('session_not_found'), requestId, headers);
    if (request.method === 'DELETE') {
      await this.o.sessions.delete(session.id);
      this.o.streams.forgetSession(session.id);
      return { status: 204, headers, body: null };
    }
    if (!accepts(request.headers.get('accept'), 'text/event-stream')) {
      return encodeHttpError(new GatehouseError('not_acceptable', { message: 'Accept must include text/event-stream.' }), requestId, headers);
    }
    return this.o.streams.sessionStream(session.id, headers);
  }
}
