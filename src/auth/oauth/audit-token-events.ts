import type { Kysely } from 'kysely';
import type Provider from 'oidc-provider';
import type { errors, KoaContextWithOIDC } from 'oidc-provider';
import type { AuditKind, AuditLog } from '../../audit/audit-log.js';
import type { GatehouseSchema } from '../../store/schema.js';
import type { GrantStore } from './grant-store.js';

/** The token endpoint's grant types and what issuing under each is audited as. */
const KIND_OF_GRANT: Readonly<Record<string, AuditKind>> = { authorization_code: 'token_issued', refresh_token: 'token_refreshed' };

/** The grant a token request or revocation was about; ids only, never a token (an opaque token's `jti` is the token). */
function grantIdOf(ctx: KoaContextWithOIDC): string | undefined {
  const e = ctx.oidc.entities;
  const id = e.Grant?.jti ?? e.RefreshToken?.grantId ?? e.AuthorizationCode?.grantId ?? e.AccessToken?.grantId;
  return typeof id === 'string' ? id : undefined;
}

function accountIdOf(ctx: KoaContextWithOIDC): string | null {
  const e = ctx.oidc.entities;
  return ctx.oidc.account?.accountId ?? e.RefreshToken?.accountId ?? e.AuthorizationCode?.accountId ?? e.Grant?.accountId ?? null;
}

/**
 * Audits the authorization server's token events (B-OPS-02): each code
 * exchange (`token_issued`) and refresh (`token_refreshed`), failed ones with
 * their OAuth error code, and each revoked refresh-token family
 * (`token_revoked`: by the client at the revocation endpoint, or by
 * oidc-provider on a replayed code or refresh token). The credential is named
 * `grant:<id>`, as on tool calls; tokens and codes are never recorded.
 */
export function auditTokenEvents(provider: Provider, deps: { readonly audit: AuditLog; readonly grants: GrantStore; readonly db: Kysely<GatehouseSchema> }): void {
  const { audit } = deps;

  provider.on('grant.success', (ctx: KoaContextWithOIDC) => {
    const kind = KIND_OF_GRANT[String(ctx.oidc.params?.grant_type)];
    if (kind === undefined) return;
    const grantId = grantIdOf(ctx);
    const clientId = ctx.oidc.client?.clientId ?? null;
    const userId = accountIdOf(ctx);
    const write = (organizationId: string | null) =>
      audit.record({ kind, outcome: 'ok', userId, organizationId, clientId, credentialId: grantId === undefined ? null : `grant:${grantId}` });
    if (grantId === undefined) return write(null);
    // Cached since consent (or the refresh's own membership check): no query in the usual case.
    void deps.grants.get(grantId).then(
      (row) => write(row?.organization_id ?? null),
      () => write(null),
    );
  });

  provider.on('grant.error', (ctx: KoaContextWithOIDC, err: errors.OIDCProviderError) => {
    const kind = KIND_OF_GRANT[String(ctx.oidc.params?.grant_type)];
    if (kind === undefined) return;
    const grantId = grantIdOf(ctx);
    audit.record({
      kind,
      outcome: typeof err.error === 'string' ? err.error : 'server_error',
      userId: accountIdOf(ctx),
      clientId: ctx.oidc.client?.clientId ?? null,
      credentialId: grantId === undefined ? null : `grant:${grantId}`,
    });
  });

  provider.on('grant.revoked', (ctx: KoaContextWithOIDC, grantId: string) => {
    // Read uncached: revocation is about to drop the grant from the store's cache, and must not find it back there stale.
    void deps.db
      .selectFrom('oauth_grants')
      .select(['user_id', 'organization_id', 'client_id'])
      .where('grant_id', '=', grantId)
      .executeTakeFirst()
      .catch(() => undefined)
      .then((row) =>
        audit.record({
          kind: 'token_revoked',
          outcome: 'ok',
          userId: row?.user_id ?? accountIdOf(ctx),
          organizationId: row?.organization_id ?? null,
          clientId: row?.client_id ?? ctx.oidc.client?.clientId ?? null,
          credentialId: `grant:${grantId}`,
          // `revocation`: the client revoked it; `token`: a replayed code or refresh token revoked the family.
          detail: { via: ctx.oidc.route },
        }),
      );
  });
}
