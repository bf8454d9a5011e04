import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Kysely } from 'kysely';
import type Provider from 'oidc-provider';
import type { KoaContextWithOIDC } from 'oidc-provider';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { discardAudit, type AuditLog } from '../../audit/audit-log.js';
import { toErrorBody } from '../../errors/error-body.js';
import { GatehouseError } from '../../errors/gatehouse-error.js';
import type { Logger } from '../../log/logger.js';
import type { GatehouseSchema } from '../../store/schema.js';
import { SecretBox } from '../../store/secret-box.js';
import type { Directory } from '../../tenancy/directory.js';
import type { AccessModel } from '../../tenancy/roles.js';
import { JwtAuthenticator } from '../jwt-authenticator.js';
import { ContextRelease } from './context-release.js';
import { createProvider, type AccessCheck } from './create-provider.js';
import { documentFetch } from './document-fetch.js';
import { GrantStore } from './grant-store.js';
import type { OAuthOptions } from './oauth-options.js';
import { sweepOidcPayloads } from './oidc-adapter.js';
import { loadSigningKeys, type SigningKeys } from './signing-keys.js';

const OIDC_PATHS = /^\/(?:oauth\/(?:authorize|token|register|jwks|revoke|introspect)(?:\/|$)|\.well-known\/(?:openid-configuration|oauth-authorization-server)$)/;

export interface AuthorizationServerInit {
  readonly db: Kysely<GatehouseSchema>;
  readonly directory: Directory;
  readonly access: AccessModel;
  readonly options: OAuthOptions;
  readonly publicUrl: URL;
  readonly secret: string;
  readonly logger: Logger;
  readonly accessCheck?: AccessCheck;
  /** Where token issuance, refresh and revocation are audited (B-OPS-02). Default: nowhere. */
  readonly audit?: AuditLog;
  /** Renders an HTML page for oidc-provider's own errors (title, message). */
  readonly renderPage: (title: string, message: string) => { readonly headers: Record<string, string>; readonly body: string };
}

/**
 * The built-in OAuth 2.1 authorization server and the resource server's
 * view of it: oidc-provider wired to Gatehouse's store and tenancy, the
 * RFC 9728 metadata, the access-token verifier, and session revocation.
 */
export class AuthorizationServer {
  readonly issuer: string;
  readonly resourceUrl: string;
  readonly resourceMetadataUrl: string;
  readonly authenticator: JwtAuthenticator;
  readonly #callback: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  readonly #registrations: RateLimiterMemory;
  /** Public for tests: whether oidc-provider's per-request context (and Node's promise hooks) is on. */
  readonly contexts = new ContextRelease();

  private constructor(
    readonly provider: Provider,
    readonly grants: GrantStore,
    private readonly init: AuthorizationServerInit,
    publicJwks: SigningKeys['publicJwks'],
  ) {
    this.issuer = init.publicUrl.origin;
    this.resourceUrl = new URL('/mcp', init.publicUrl).href;
    this.resourceMetadataUrl = new URL('/.well-known/oauth-protected-resource/mcp', init.publicUrl).href;
    this.#registrations = new RateLimiterMemory({ points: init.options.registrationsPerHour, duration: 3600 });
    this.#callback = provider.callback();
    this.authenticator = new JwtAuthenticator({
      key: { jwks: publicJwks },
      issuer: this.issuer,
      audience: this.resourceUrl,
      algorithms: ['ES256'],
      typ: 'at+jwt',
      clockToleranceSec: init.options.clockToleranceSec,
      resourceMetadataUrl: this.resourceMetadataUrl,
      isRevoked: (payload) => typeof payload.gid === 'string' && grants.isRevoked(payload.gid),
    });
  }

  static async create(init: AuthorizationServerInit): Promise<AuthorizationServer> {
    const keys = await loadSigningKeys(init.db, new SecretBox(init.secret, 'signing-keys'));
    const grants = new GrantStore(init.db, init.options.accessTokenTtl * 1000);
    await grants.load();
    const cookieKey = createHash('sha256').update(`oauth-cookies\0${init.secret}`).digest('base64url');
    const fetch = documentFetch(init.options.clientMetadataDocuments);
    const provider = createProvider({
      issuer: init.publicUrl.origin,
      resourceUrl: new URL('/mcp', init.publicUrl).href,
      db: init.db,
      keys,
      cookieKeys: [cookieKey],
      directory: init.directory,
      access: init.access,
      grants,
      options: init.options,
      logger: init.logger,
      audit: init.audit ?? discardAudit,
      accessCheck: init.accessCheck,
      ...(fetch === undefined ? {} : { fetch }),
      renderError: (ctx: KoaContextWithOIDC, title, message) => {
        const page = init.renderPage(title, message);
        ctx.status = ctx.status >= 400 ? ctx.status : 400;
        ctx.set(page.headers);
        ctx.body = page.body;
      },
    });
    return new AuthorizationServer(provider, grants, init, keys.publicJwks);
  }

  /** Whether oidc-provider serves this path. */
  handles(pathname: string): boolean {
    return OIDC_PATHS.test(pathname);
  }

  /**
   * Serves an oidc-provider route. Host and forwarded headers are pinned to
   * the public URL first: oidc-provider builds URLs from them, so a forged
   * `X-Forwarded-Host` could otherwise redirect users elsewhere.
   */
  handleNode(req: IncomingMessage, res: ServerResponse, clientIp: string): void {
    const url = this.init.publicUrl;
    req.headers.host = url.host;
    req.headers['x-forwarded-host'] = url.host;
    req.headers['x-forwarded-proto'] = url.protocol.slice(0, -1);
    req.headers['x-forwarded-for'] = clientIp;
    res.setHeader('x-frame-options', 'DENY');
    res.setHeader('content-security-policy', "frame-ancestors 'none'");
    if (req.method === 'GET' && (req.url ?? '').startsWith('/oauth/authorize?')) req.url = this.#withDefaultScope(req.url as string);
    if (req.method === 'POST' && (req.url ?? '').split('?')[0] === '/oauth/register') {
      this.#registrations.consume(clientIp).then(
        () => this.contexts.run(() => this.#callback(req, res)),
        (limited: unknown) => {
          if (!(limited instanceof RateLimiterRes)) return this.#fail(res, limited);
          const retryAfter = Math.ceil(limited.msBeforeNext / 1000);
          const error = new GatehouseError('too_many_registrations', {
            message: `Too many client registrations from this address; reuse your client_id or retry in ${retryAfter} seconds.`,
            details: { retry_after: retryAfter },
          });
          res.writeHead(429, { 'content-type': 'application/json', 'retry-after': String(retryAfter), 'cache-control': 'no-store' });
          res.end(JSON.stringify(toErrorBody(error, randomUUID())));
        },
      );
      return;
    }
    this.contexts.run(() => this.#callback(req, res));
  }

  /**
   * A request that names none of the product's scopes (the conformance
   * suite's, many MCP clients') asks for all of them; consent then narrows
   * them to what the user's role grants.
   */
  #withDefaultScope(url: string): string {
    const parsed = new URL(url, this.issuer);
    const requested = (parsed.searchParams.get('scope') ?? '').split(' ').filter(Boolean);
    const product = Object.keys(this.init.access.scopes);
    if (requested.some((s) => product.includes(s))) return url;
    parsed.searchParams.set('scope', [...requested, ...product].join(' '));
    return `${parsed.pathname}${parsed.search}`;
  }

  #fail(res: ServerResponse, err: unknown): void {
    this.init.logger.error({ err }, 'registration rate limiter failed');
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'server_error' }));
  }

  /** RFC 9728 protected-resource metadata for /mcp. */
  resourceMetadata(): Record<string, unknown> {
    return {
      resource: this.resourceUrl,
      authorization_servers: [this.issuer],
      scopes_supported: Object.keys(this.init.access.scopes),
      bearer_methods_supported: ['header'],
      resource_name: `${this.init.publicUrl.host} MCP server`,
    };
  }

  /** Ends one sign-in: its refresh tokens stop working, and its access tokens at once. Audited as `session_revoked`. */
  async revokeGrant(grantId: string, audit: { readonly requestId?: string; readonly all?: boolean } = {}): Promise<void> {
    const p = this.provider;
    const row = await this.grants.get(grantId);
    await Promise.all([p.RefreshToken.adapter.revokeByGrantId(grantId), p.AuthorizationCode.adapter.revokeByGrantId(grantId), p.Grant.adapter.destroy(grantId)]);
    await this.grants.markRevoked([grantId]);
    this.authenticator.forget((principal) => principal.credentialId === `grant:${grantId}`);
    this.init.audit?.record({
      kind: 'session_revoked',
      outcome: 'ok',
      userId: row?.user_id ?? null,
      organizationId: row?.organization_id ?? null,
      clientId: row?.client_id ?? null,
      credentialId: `grant:${grantId}`,
      requestId: audit.requestId ?? null,
      ...(audit.all === true ? { detail: { all: true } } : {}),
    });
  }

  /** Ends every sign-in of a user, across clients and organizations. Returns how many. */
  async revokeAllForUser(userId: string, audit: { readonly requestId?: string } = {}): Promise<number> {
    const live = await this.grants.listActive(userId);
    for (const g of live) await this.revokeGrant(g.grant_id, { ...audit, all: true });
    return live.length;
  }

  /** Removes expired payloads and clients nobody used for `unusedClientTtl`. */
  async sweep(now = Date.now()): Promise<void> {
    await sweepOidcPayloads(this.init.db, now);
    const cutoff = now - this.init.options.unusedClientTtl * 1000;
    const stale = await this.init.db
      .selectFrom('oauth_clients')
      .select('client_id')
      .where((eb) => eb(eb.fn.coalesce('last_used_at', 'created_at'), '<', cutoff))
      .execute();
    for (const { client_id } of stale) {
      await this.init.db.deleteFrom('oidc_payloads').where('model', '=', 'Client').where('id', '=', client_id).execute();
      await this.init.db.deleteFrom('oauth_clients').where('client_id', '=', client_id).execute();
    }
  }
}
