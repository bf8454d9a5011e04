import type { Hono } from 'hono';
import { discardAudit, type AuditLog } from '../audit/audit-log.js';
import type { Kysely } from 'kysely';
import { ApiKeyAuthenticator } from '../auth/api-keys/api-key-authenticator.js';
import { ApiKeyStore } from '../auth/api-keys/api-key-store.js';
import type { Authenticator } from '../auth/authenticator.js';
import { CompositeAuthenticator } from '../auth/composite-authenticator.js';
import { JwtAuthenticator } from '../auth/jwt-authenticator.js';
import { LocalAuthenticator } from '../auth/local-authenticator.js';
import { AuthorizationServer } from '../auth/oauth/authorization-server.js';
import type { AccessCheck } from '../auth/oauth/create-provider.js';
import { ConfigurationError } from '../errors/configuration-error.js';
import { interactionRoutes } from '../dashboard/interaction-routes.js';
import { pageHeaders } from '../dashboard/layout.js';
import { messagePage } from '../dashboard/pages/message-page.js';
import { switchOrganizationRoutes } from '../dashboard/switch-organization-routes.js';
import { UpstreamSignIn } from '../dashboard/upstream-sign-in.js';
import { meSessionsRoutes } from '../http/api/me-sessions-routes.js';
import type { Logger } from '../log/logger.js';
import type { ChangeNotices } from '../store/change-notices.js';
import type { GatehouseSchema } from '../store/schema.js';
import { Directory } from '../tenancy/directory.js';
import type { ResolvedServerOptions } from './options.js';

/** Everything authentication brings, whichever kind was configured. */
export interface BuiltAuth {
  readonly authenticator: Authenticator;
  readonly directory: Directory;
  readonly apiKeys: ApiKeyStore;
  readonly apiKeyAuthenticator: ApiKeyAuthenticator;
  /** Present with `auth.kind: 'oauth'`. */
  readonly as: AuthorizationServer | undefined;
  /** Route modules to mount in the HTTP app (pages, metadata, APIs). */
  readonly routes: readonly Hono[];
  /** The scope every /mcp call needs (B-AUTH-08), if any. */
  readonly requiredScope: string | undefined;
  /** Resource metadata URL for 401 challenges. */
  readonly resourceMetadataUrl: string | undefined;
}

export async function buildAuth(
  options: ResolvedServerOptions,
  deps: {
    db: Kysely<GatehouseSchema>;
    directory: Directory;
    publicUrl: URL;
    secret: string;
    logger: Logger;
    product: string;
    accessCheck?: AccessCheck;
    /** Where sign-ins, token and key events go (B-OPS-02). Default: nowhere. */
    audit?: AuditLog;
  },
): Promise<BuiltAuth> {
  const auth = options.auth;
  const directory = deps.directory;
  const audit = deps.audit ?? discardAudit;
  const apiKeys = new ApiKeyStore(deps.db, deps.secret, auth.kind === 'oauth' ? auth.apiKeyPrefix : 'gh', Date.now, audit);
  const apiKeyAuthenticator = new ApiKeyAuthenticator(apiKeys, directory, options.access);
  const base = { directory, apiKeys, apiKeyAuthenticator };

  if (auth.kind === 'insecure-none') {
    // The local developer may do everything: every scope, the most powerful role.
    const local = new LocalAuthenticator({ organizationId: auth.organizationId, scopes: Object.keys(options.access.scopes), role: Object.keys(options.access.roles)[0] });
    return { ...base, authenticator: local, as: undefined, routes: [], requiredScope: undefined, resourceMetadataUrl: undefined };
  }
  if (auth.kind === 'jwt') {
    if (auth.secret === undefined && auth.jwksUrl === undefined) throw new ConfigurationError('jwt auth needs secret or jwksUrl', 'auth');
    const tokens = new JwtAuthenticator({
      key: auth.secret !== undefined ? { secret: auth.secret } : { jwksUrl: auth.jwksUrl as string },
      issuer: auth.issuer,
      audience: auth.audience ?? new URL('/mcp', deps.publicUrl).href,
      clockToleranceSec: auth.clockToleranceSec,
      cacheSize: auth.cacheSize,
    });
    return { ...base, authenticator: new CompositeAuthenticator(tokens, apiKeyAuthenticator, apiKeys), as: undefined, routes: [], requiredScope: undefined, resourceMetadataUrl: undefined };
  }

  if (!auth.passwords && auth.upstream === undefined) throw new ConfigurationError('with passwords off, configure auth.upstream or nobody can sign in', 'auth.passwords');
  const as = await AuthorizationServer.create({
    db: deps.db,
    directory,
    access: options.access,
    options: auth,
    publicUrl: deps.publicUrl,
    secret: deps.secret,
    logger: deps.logger,
    audit,
    ...(deps.accessCheck === undefined ? {} : { accessCheck: deps.accessCheck }),
    renderPage: (title, message) => ({
      headers: pageHeaders(),
      body: messagePage({ product: deps.product, title, message, tone: 'error' }),
    }),
  });
  const upstream =
    auth.upstream === undefined
      ? undefined
      : await UpstreamSignIn.create(auth.upstream, { publicUrl: deps.publicUrl, directory, as, product: deps.product, logger: deps.logger, secret: deps.secret, audit });
  const authenticator = new CompositeAuthenticator(as.authenticator, apiKeyAuthenticator, apiKeys);
  const pages = interactionRoutes({
    as,
    directory,
    access: options.access,
    product: deps.product,
    secret: deps.secret,
    publicUrl: deps.publicUrl,
    logger: deps.logger,
    passwords: auth.passwords,
    audit,
    tenancyMode: options.tenancy.mode,
    ...(deps.accessCheck === undefined ? {} : { accessCheck: deps.accessCheck }),
    ...(upstream === undefined ? {} : { upstream }),
  });
  return {
    ...base,
    authenticator,
    as,
    routes: [
      pages as unknown as Hono,
      switchOrganizationRoutes({ secret: deps.secret, directory, product: deps.product, publicUrl: deps.publicUrl }) as unknown as Hono,
      meSessionsRoutes(as, authenticator, auth.grantTtl * 1000),
    ],
    requiredScope: auth.requiredScope,
    resourceMetadataUrl: as.resourceMetadataUrl,
  };
}

/** The directory of users, organizations and memberships, with the lockout policy of the configured sign-in. */
export function createDirectory(options: ResolvedServerOptions, db: Kysely<GatehouseSchema>, notices: ChangeNotices): Directory {
  const auth = options.auth;
  const lockout = auth.kind === 'oauth' ? { maxFailures: auth.lockout.maxFailures, lockMs: auth.lockout.lockSeconds * 1000 } : undefined;
  return new Directory(db, lockout, Date.now, notices);
}
