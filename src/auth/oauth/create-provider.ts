import { randomUUID } from 'node:crypto';
import Provider, { errors, type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import type { Kysely } from 'kysely';
import type { AuditLog } from '../../audit/audit-log.js';
import { errorDefinition } from '../../errors/catalog.js';
import type { GatehouseError } from '../../errors/gatehouse-error.js';
import type { Logger } from '../../log/logger.js';
import type { GatehouseSchema } from '../../store/schema.js';
import type { Directory } from '../../tenancy/directory.js';
import { scopesOfRole, type AccessModel } from '../../tenancy/roles.js';
import { auditTokenEvents } from './audit-token-events.js';
import { ClientMetadataError, checkRedirectUri, metadataDigest, normalizeClientMetadata } from './client-policy.js';
import type { GrantStore } from './grant-store.js';
import type { OAuthOptions } from './oauth-options.js';
import { createOidcAdapter } from './oidc-adapter.js';
import type { SigningKeys } from './signing-keys.js';

/** Decides, at consent and at every refresh, whether a user may (still) act in an organization. */
export type AccessCheck = (input: { userId: string; organizationId: string; phase: 'consent' | 'refresh' }) => Promise<GatehouseError | undefined>;

/** A catalogue error raised inside oidc-provider, so its endpoints answer with our code and status. */
class CatalogueOidcError extends errors.OIDCProviderError {
  constructor(err: GatehouseError) {
    super(errorDefinition(err.code).http, errorDefinition(err.code).wireError ?? err.code);
    this.error_description = err.message;
  }
}

export interface ProviderDeps {
  readonly issuer: string;
  readonly resourceUrl: string;
  readonly db: Kysely<GatehouseSchema>;
  readonly keys: SigningKeys;
  readonly cookieKeys: string[];
  readonly directory: Directory;
  readonly access: AccessModel;
  readonly grants: GrantStore;
  readonly options: OAuthOptions;
  readonly logger: Logger;
  /** Token issuance, refresh and revocation are audited here (B-OPS-02). */
  readonly audit: AuditLog;
  readonly accessCheck: AccessCheck | undefined;
  readonly renderError: (ctx: KoaContextWithOIDC, title: string, message: string) => void;
  /** Test-only CIMD fetch (private network, custom CA); production uses oidc-provider's SSRF-protected fetch. */
  readonly fetch?: Configuration['fetch'];
}

/** `fetch failed: example.com resolves to a special-use address…`: the messages of an error's causes, outermost first. */
function causeChain(err: Error): string | undefined {
  const messages: string[] = [];
  for (let c = (err as { cause?: unknown }).cause; c instanceof Error && messages.length < 5; c = (c as { cause?: unknown }).cause) messages.push(c.message);
  return messages.length === 0 ? undefined : messages.join(': ');
}

function refuse(cause: unknown): never {
  if (cause instanceof ClientMetadataError) throw new errors.CustomOIDCProviderError('invalid_client_metadata', cause.message);
  throw cause;
}

/** Builds the oidc-provider instance: OAuth 2.1 with PKCE, resource-bound JWT access tokens, rotation, DCR and CIMD. */
export function createProvider(d: ProviderDeps): Provider {
  const o = d.options;
  const productScopes = Object.keys(d.access.scopes);
  const supported = new Set(['openid', 'offline_access', ...productScopes]);

  async function roleFor(grantId: string | undefined): Promise<{ userId: string; organizationId: string | null; role: string | undefined } | undefined> {
    if (grantId === undefined) return undefined;
    const row = await d.grants.get(grantId);
    if (row === undefined) return undefined;
    const role = row.organization_id === null ? undefined : await d.directory.roleIn(row.user_id, row.organization_id);
    return { userId: row.user_id, organizationId: row.organization_id, role };
  }

  /**
   * The scopes a grant's token carries now: its organization's role, or for a
   * per-call (organization-less) grant every scope some role of the user
   * grants; each call is then narrowed to the role in the workspace it picks.
   */
  async function scopesNow(found: { userId: string; organizationId: string | null; role: string | undefined }): Promise<string[]> {
    if (found.organizationId !== null) return scopesOfRole(d.access, found.role);
    const roles = (await d.directory.membershipsOf(found.userId)).map((m) => m.role);
    return productScopes.filter((s) => roles.some((r) => scopesOfRole(d.access, r).includes(s)));
  }

  const configuration: Configuration = {
    adapter: createOidcAdapter(d.db, { refreshGraceSeconds: o.refreshReuseGraceSeconds }),
    ...(d.fetch === undefined ? {} : { fetch: d.fetch }),
    jwks: d.keys.privateJwks,
    cookies: {
      keys: d.cookieKeys,
      names: { session: 'gh_session', interaction: 'gh_interaction', resume: 'gh_resume' },
      long: { httpOnly: true, sameSite: 'lax' },
      short: { httpOnly: true, sameSite: 'lax' },
    },
    routes: {
      authorization: '/oauth/authorize',
      token: '/oauth/token',
      registration: '/oauth/register',
      jwks: '/oauth/jwks',
      revocation: '/oauth/revoke',
      introspection: '/oauth/introspect',
      end_session: '/oauth/logout',
    },
    interactions: { url: (_ctx, interaction) => `/oauth/interaction/${interaction.uid}` },
    scopes: [...supported],
    claims: { openid: ['sub'], email: ['email'] },
    responseTypes: ['code'],
    clientAuthMethods: ['none', 'client_secret_basic', 'client_secret_post'],
    clientDefaults: { grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none', id_token_signed_response_alg: 'ES256' },
    enabledJWA: { idTokenSigningAlgValues: ['ES256'] },
    clients: o.staticClients.map((c) => ({
      client_id: c.clientId,
      client_name: c.clientName,
      redirect_uris: c.redirectUris,
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
    })),
    pkce: { required: () => true },
    ttl: {
      // A function so oidc-provider keeps our value rather than a resource server's.
      AccessToken: () => o.accessTokenTtl,
      AuthorizationCode: o.authorizationCodeTtl,
      RefreshToken: o.refreshTokenTtl,
      Grant: o.grantTtl,
      Session: o.sessionTtl,
      Interaction: o.interactionTtl,
      IdToken: o.accessTokenTtl,
    },
    rotateRefreshToken: true,
    // Every MCP client gets a refresh token, without having to ask for offline_access.
    issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
    // Tokens outlive the browser session: each sign-in is its own family, revoked on its own.
    expiresWithSession: () => false,
    // Only the grant consent just created: a second sign-in never reuses the first one's family.
    loadExistingGrant: async (ctx) => {
      const grantId = ctx.oidc.result?.consent?.grantId;
      return grantId === undefined ? undefined : ctx.oidc.provider.Grant.find(grantId);
    },
    findAccount: async (ctx, sub) => {
      const user = await d.directory.getUser(sub);
      if (user === undefined) return undefined;
      // At refresh: still a member, and (plans, …) still allowed. Checked before rotation, so a refused token survives.
      if (ctx.oidc?.route === 'token' && ctx.oidc.params?.grant_type === 'refresh_token') {
        const found = await roleFor((ctx.oidc.entities.RefreshToken as { grantId?: string } | undefined)?.grantId);
        if (found?.organizationId !== null && found?.organizationId !== undefined) {
          if (found.role === undefined) throw new errors.CustomOIDCProviderError('invalid_grant', 'you are no longer a member of the organization this connection was made for');
          const refusal = await d.accessCheck?.({ userId: user.id, organizationId: found.organizationId, phase: 'refresh' });
          if (refusal !== undefined) throw new CatalogueOidcError(refusal);
        }
      }
      return { accountId: user.id, claims: () => ({ sub: user.id, email: user.email }) };
    },
    extraTokenClaims: async (_ctx, token) => {
      const grantId = 'grantId' in token ? (token.grantId as string | undefined) : undefined;
      const found = await roleFor(grantId);
      if (found === undefined) return undefined;
      return { gid: grantId, ...(found.organizationId === null ? {} : { org_id: found.organizationId }), ...(found.role === undefined ? {} : { role: found.role }) };
    },
    clientBasedCORS: () => true,
    renderError: (ctx, out) => {
      const gone = out.error === 'invalid_request' && /expired|not found/i.test(String(out.error_description ?? ''));
      d.renderError(
        ctx,
        gone ? 'No pending authorization' : 'Sign-in could not continue',
        gone
          ? 'This sign-in request has expired or was already completed. Start the connection again from your MCP client.'
          : `${String(out.error_description ?? out.error)}. Start the connection again from your MCP client.`,
      );
    },
    features: {
      devInteractions: { enabled: false },
      dPoP: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      userinfo: { enabled: false },
      claimsParameter: { enabled: false },
      introspection: { enabled: true, allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId },
      revocation: { enabled: true, allowedPolicy: (_ctx, client, token) => token.clientId === client.clientId },
      rpInitiatedLogout: { enabled: false },
      registration: {
        enabled: true,
        initialAccessToken: false,
        issueRegistrationAccessToken: false,
        // Runs first on the parsed body: check and normalise it, and give identical public registrations one client.
        idFactory: (ctx) => {
          const body = (ctx.oidc.body ?? {}) as Record<string, unknown>;
          try {
            normalizeClientMetadata(body, supported);
          } catch (cause) {
            refuse(cause);
          }
          return body.token_endpoint_auth_method === 'none' ? `mcp_${metadataDigest(body).slice(0, 32)}` : `mcp_${randomUUID()}`;
        },
      },
      clientIdMetadataDocument: {
        enabled: o.clientMetadataDocuments.enabled,
        ack: 'draft-02',
        allowFetch: () => true,
        // Documents are held to the same redirect rules as registrations.
        allowClient: (_ctx, client) => {
          try {
            (client.redirectUris ?? []).forEach(checkRedirectUri);
            return true;
          } catch {
            return false;
          }
        },
        cacheDuration: { min: 60, max: 3600 },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: (_ctx, _client, oneOf) => oneOf ?? d.resourceUrl,
        useGrantedResource: () => true,
        getResourceServerInfo: async (ctx, resourceIndicator) => {
          if (resourceIndicator !== d.resourceUrl) throw new errors.InvalidTarget(`this authorization server issues tokens for ${d.resourceUrl} only`);
          let scope = productScopes;
          if (ctx.oidc.route === 'token') {
            // Code exchange and every refresh: what the role grants now (B-TEN-01).
            const found = await roleFor((ctx.oidc.entities.Grant as { jti?: string } | undefined)?.jti);
            scope = found === undefined ? [] : await scopesNow(found);
          }
          return { scope: scope.join(' '), audience: d.resourceUrl, accessTokenTTL: o.accessTokenTtl, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'ES256' } } };
        },
      },
    },
  };

  const provider = new Provider(d.issuer, configuration);
  // We pin Host and X-Forwarded-* from the public URL before every request, so trusting them is safe.
  provider.proxy = true;
  auditTokenEvents(provider, { audit: d.audit, grants: d.grants, db: d.db });
  provider.on('grant.success', (ctx: KoaContextWithOIDC) => {
    const grantId = (ctx.oidc.entities.Grant as { jti?: string } | undefined)?.jti;
    if (grantId !== undefined) void d.grants.touch(grantId).catch((err: unknown) => d.logger.warn({ err }, 'grant touch failed'));
    const clientId = ctx.oidc.client?.clientId;
    if (clientId !== undefined) {
      void d.db
        .updateTable('oauth_clients')
        .set({ last_used_at: Date.now() })
        .where('client_id', '=', clientId)
        .execute()
        .catch(() => {});
    }
  });
  provider.on('grant.revoked', (_ctx: KoaContextWithOIDC, grantId: string) => {
    void d.grants.markRevoked([grantId]).catch((err: unknown) => d.logger.error({ err }, 'could not record a grant revocation'));
  });
  provider.on('registration_create.success', (_ctx: KoaContextWithOIDC, client: { clientId: string }) => {
    void d.db
      .insertInto('oauth_clients')
      .values({ client_id: client.clientId, created_at: Date.now(), last_used_at: null })
      .onConflict((oc) => oc.doNothing())
      .execute()
      .catch((err: unknown) => d.logger.error({ err }, 'could not record a client registration'));
  });
  // Refusals the user only sees as a page: the operator learns why (e.g. a metadata document that could not be fetched).
  const refused = (event: string) => (_ctx: KoaContextWithOIDC, err: errors.OIDCProviderError) => {
    d.logger.info({ event, error: err.error, description: err.error_description, cause: causeChain(err) }, 'authorization server refused a request');
  };
  provider.on('authorization.error', refused('authorization.error'));
  provider.on('grant.error', refused('grant.error'));
  provider.on('registration_create.error', refused('registration_create.error'));
  provider.on('server_error', (_ctx: KoaContextWithOIDC, err: Error) => d.logger.error({ err }, 'authorization server error'));
  return provider;
}
