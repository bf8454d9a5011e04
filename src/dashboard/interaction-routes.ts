import { createHmac, timingSafeEqual } from 'node:crypto';
import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { errors } from 'oidc-provider';
import type { AuditLog } from '../audit/audit-log.js';
import type { AuthorizationServer } from '../auth/oauth/authorization-server.js';
import type { AccessCheck } from '../auth/oauth/create-provider.js';
import type { Logger } from '../log/logger.js';
import type { Directory } from '../tenancy/directory.js';
import { grantableScopes, type AccessModel } from '../tenancy/roles.js';
import type { GatehouseError } from '../errors/gatehouse-error.js';
import { pageHeaders } from './layout.js';
import { preferredOrganization } from './switch-organization-routes.js';
import { consentPage } from './pages/consent-page.js';
import { messagePage } from './pages/message-page.js';
import { signInPage } from './pages/sign-in-page.js';
import type { UpstreamSignIn } from './upstream-sign-in.js';

type Interaction = Awaited<ReturnType<AuthorizationServer['provider']['interactionDetails']>>;
type Ctx = Context<{ Bindings: HttpBindings }>;

/** An OAuth error description a person can act on: the message, and where to upgrade when there is somewhere. */
function refusalText(err: GatehouseError): string {
  const url = err.details.upgrade_url;
  return typeof url === 'string' ? `${err.message} Upgrade at ${url}` : err.message;
}

export interface InteractionRoutesInit {
  readonly as: AuthorizationServer;
  readonly directory: Directory;
  readonly access: AccessModel;
  readonly product: string;
  readonly secret: string;
  readonly publicUrl: URL;
  readonly logger: Logger;
  readonly passwords: boolean;
  /** Where sign-ins and failed sign-ins are audited (B-OPS-02): user and client ids, never the email or password. */
  readonly audit: AuditLog;
  readonly accessCheck?: AccessCheck;
  readonly upstream?: UpstreamSignIn;
  /** `per-call`: a connection acts in all the user's workspaces, so consent picks none. */
  readonly tenancyMode: 'pinned' | 'per-call';
}

/**
 * Sign-in and consent pages of the authorization server (B-AUTH-04). They
 * run under /oauth/interaction/<uid> because oidc-provider scopes its
 * interaction cookie to that path; every form carries a CSRF token bound to
 * the interaction.
 */
export function interactionRoutes(init: InteractionRoutesInit): Hono<{ Bindings: HttpBindings }> {
  const app = new Hono<{ Bindings: HttpBindings }>();
  const provider = init.as.provider;
  const csrfFor = (uid: string) => createHmac('sha256', init.secret).update(`csrf\0${uid}`).digest('base64url');

  function page(c: Ctx, status: number, body: string, formTargets: readonly string[] = []): Response {
    return c.body(body, status as 200, pageHeaders(formTargets));
  }

  function noPending(c: Ctx): Response {
    return page(
      c,
      400,
      messagePage({
        product: init.product,
        title: 'No pending authorization',
        message: 'This sign-in request has expired, was already completed, or was opened in another browser.',
        next: 'Start the connection again from your MCP client: it will open a fresh sign-in page.',
        tone: 'error',
      }),
    );
  }

  /** The interaction behind this request, or undefined when it is gone (B-AUTH-04). */
  async function interaction(c: Ctx): Promise<Interaction | undefined> {
    try {
      const details = await provider.interactionDetails(c.env.incoming, c.env.outgoing);
      return details.uid === c.req.param('uid') ? details : undefined;
    } catch (err) {
      if (err instanceof errors.SessionNotFound) return undefined;
      throw err;
    }
  }

  /** A same-origin form post carrying this interaction's token. */
  async function trustedForm(c: Ctx, uid: string): Promise<Record<string, string> | undefined> {
    const origin = c.req.header('origin');
    if (origin !== undefined && origin !== init.publicUrl.origin) return undefined;
    const form = await c.req.parseBody();
    const given = Buffer.from(typeof form.csrf === 'string' ? form.csrf : '');
    const expected = Buffer.from(csrfFor(uid));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    return Object.fromEntries(Object.entries(form).filter((e): e is [string, string] => typeof e[1] === 'string'));
  }

  async function clientView(details: Interaction) {
    const clientId = String(details.params.client_id);
    const client = await provider.Client.find(clientId);
    const redirect = new URL(String(details.params.redirect_uri));
    const target = redirect.protocol === 'http:' || redirect.protocol === 'https:' ? redirect.origin : redirect.protocol;
    return { clientId, name: String(client?.clientName ?? clientId), redirectHost: redirect.host || redirect.protocol.slice(0, -1), target };
  }

  function requestedScopes(details: Interaction): string[] {
    const d = details.prompt.details as { missingOIDCScope?: string[]; missingResourceScopes?: Record<string, string[]> };
    return [...new Set([...(d.missingOIDCScope ?? []), ...Object.values(d.missingResourceScopes ?? {}).flat()])].filter((s) => s in init.access.scopes);
  }

  async function renderSignIn(c: Ctx, details: Interaction, status: number, error?: string, email?: string): Promise<Response> {
    const client = await clientView(details);
    const uid = details.uid;
    return page(
      c,
      status,
      signInPage({
        product: init.product,
        clientName: client.name,
        redirectHost: client.redirectHost,
        action: `/oauth/interaction/${uid}/login`,
        csrf: csrfFor(uid),
        passwords: init.passwords,
        ...(error === undefined ? {} : { error }),
        ...(email === undefined ? {} : { email }),
        ...(init.upstream === undefined ? {} : { upstream: { name: init.upstream.name, href: `/oauth/interaction/${uid}/upstream` } }),
      }),
      [client.target, ...(init.upstream === undefined ? [] : [init.upstream.origin])],
    );
  }

  async function renderConsent(c: Ctx, details: Interaction, status: number, error?: string): Promise<Response> {
    const client = await clientView(details);
    const userId = String(details.session?.accountId);
    const [user, all] = await Promise.all([init.directory.getUser(userId), init.directory.membershipsOf(userId)]);
    // A switch_organization link opened in this browser puts its target first, selected (B-TEN-05).
    const preferred = preferredOrganization(c, init.secret, userId);
    const memberships = [...all.filter((m) => m.organization.id === preferred), ...all.filter((m) => m.organization.id !== preferred)];
    const requested = requestedScopes(details);
    const roles = new Set(memberships.map((m) => m.role));
    const reachable = [...roles].flatMap((r) => grantableScopes(init.access, r, requested));
    const scopes = Object.entries(init.access.scopes)
      .filter(([name]) => reachable.includes(name))
      .map(([name, description]) => ({ name, description }));
    const noOrg = memberships.length === 0 ? 'You are not a member of any organization yet, so there is nothing to connect. Ask an owner to invite you.' : undefined;
    const problem = error ?? noOrg;
    return page(
      c,
      status,
      consentPage({
        product: init.product,
        clientName: client.name,
        redirectHost: client.redirectHost,
        userEmail: user?.email ?? userId,
        action: `/oauth/interaction/${details.uid}/confirm`,
        csrf: csrfFor(details.uid),
        organizations: memberships.map((m) => ({ id: m.organization.id, name: m.organization.name, role: m.role })),
        perCall: init.tenancyMode === 'per-call',
        scopes,
        ...(problem === undefined ? {} : { error: problem }),
      }),
      [client.target],
    );
  }

  app.get('/oauth/interaction/:uid', async (c) => {
    const details = await interaction(c);
    if (details === undefined) return noPending(c);
    return details.prompt.name === 'login' ? renderSignIn(c, details, 200) : renderConsent(c, details, 200);
  });

  app.post('/oauth/interaction/:uid/login', async (c) => {
    const details = await interaction(c);
    if (details === undefined) return noPending(c);
    const form = await trustedForm(c, details.uid);
    if (form === undefined) return renderSignIn(c, details, 403, 'This form expired or did not come from this page. Please try again.');
    if (!init.passwords) return renderSignIn(c, details, 400, `Sign in with ${init.upstream?.name ?? 'your identity provider'}.`);
    const email = form.email ?? '';
    const result = await init.directory.signIn(email, form.password ?? '');
    const clientId = String(details.params.client_id);
    if (!result.ok) {
      // The account's id when there is one (an attack on one account shows as such); the typed email never.
      const userId = (await init.directory.findUserByEmail(email).catch(() => undefined))?.id ?? null;
      init.audit.record({ kind: 'sign_in_failed', outcome: result.reason === 'locked' ? 'account_locked' : 'invalid_credentials', userId, clientId, detail: { method: 'password' } });
      if (result.reason === 'locked') {
        const minutes = Math.max(1, Math.ceil((result.until - Date.now()) / 60_000));
        return renderSignIn(c, details, 423, `Too many failed attempts: this account is locked for ${minutes} minute${minutes === 1 ? '' : 's'}.`, email);
      }
      return renderSignIn(c, details, 401, 'That email and password do not match an account.', email);
    }
    init.logger.info({ user_id: result.user.id }, 'user signed in');
    init.audit.record({ kind: 'sign_in', outcome: 'ok', userId: result.user.id, clientId, detail: { method: 'password' } });
    const to = await provider.interactionResult(c.env.incoming, c.env.outgoing, { login: { accountId: result.user.id, remember: false } }, { mergeWithLastSubmission: false });
    return c.redirect(to, 303);
  });

  app.post('/oauth/interaction/:uid/confirm', async (c) => {
    const details = await interaction(c);
    if (details === undefined || details.prompt.name !== 'consent') return noPending(c);
    const form = await trustedForm(c, details.uid);
    if (form === undefined) return renderConsent(c, details, 403, 'This form expired or did not come from this page. Please review and try again.');
    const finish = async (result: Record<string, unknown>, merge: boolean) =>
      c.redirect(await provider.interactionResult(c.env.incoming, c.env.outgoing, result, { mergeWithLastSubmission: merge }), 303);
    if (form.decision !== 'approve') return finish({ error: 'access_denied', error_description: 'The user denied the request' }, false);

    const userId = String(details.session?.accountId);
    const all = await init.directory.membershipsOf(userId);
    const requested = requestedScopes(details);
    let organizationId: string | null = null;
    let granted: string[];
    if (init.tenancyMode === 'per-call') {
      // One connection for every workspace: what some role grants; each call narrows to its workspace's role.
      if (all.length === 0) return renderConsent(c, details, 400);
      const union = new Set(all.flatMap((m) => grantableScopes(init.access, m.role, requested)));
      granted = Object.keys(init.access.scopes).filter((s) => union.has(s));
    } else {
      const membership = all.find((m) => m.organization.id === form.organization);
      if (membership === undefined) return renderConsent(c, details, 400, 'Choose one of your organizations.');
      const refusal = await init.accessCheck?.({ userId, organizationId: membership.organization.id, phase: 'consent' });
      if (refusal !== undefined) return finish({ error: refusal.code, error_description: refusalText(refusal) }, false);
      organizationId = membership.organization.id;
      granted = grantableScopes(init.access, membership.role, requested);
    }
    const client = await clientView(details);
    const grant = new provider.Grant({ accountId: userId, clientId: client.clientId });
    const d = details.prompt.details as { missingOIDCScope?: string[]; missingResourceScopes?: Record<string, string[]> };
    const oidc = d.missingOIDCScope ?? [];
    const oidcGranted = oidc.filter((s) => s === 'openid' || s === 'offline_access' || granted.includes(s));
    if (oidcGranted.length > 0) grant.addOIDCScope(oidcGranted.join(' '));
    const oidcRejected = oidc.filter((s) => !oidcGranted.includes(s));
    if (oidcRejected.length > 0) grant.rejectOIDCScope(oidcRejected.join(' '));
    for (const [resource, scopes] of Object.entries(d.missingResourceScopes ?? {})) {
      const ok = scopes.filter((s) => granted.includes(s));
      if (ok.length > 0) grant.addResourceScope(resource, ok.join(' '));
      const no = scopes.filter((s) => !granted.includes(s));
      if (no.length > 0) grant.rejectResourceScope(resource, no.join(' '));
    }
    const grantId = await grant.save();
    await init.as.grants.record({
      grant_id: grantId,
      user_id: userId,
      organization_id: organizationId,
      client_id: client.clientId,
      client_name: client.name,
      scope: granted.join(' '),
    });
    init.logger.info({ user_id: userId, organization_id: organizationId, client_id: client.clientId, grant_id: grantId }, 'access granted to a client');
    return finish({ consent: { grantId } }, true);
  });

  init.upstream?.routes(app, { interaction, trustedForm, noPending, renderSignIn });
  return app;
}
