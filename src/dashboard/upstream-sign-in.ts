import { createHash, randomBytes } from 'node:crypto';
import type { HttpBindings } from '@hono/node-server';
import type { Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from 'jose';
import type { AuditLog } from '../audit/audit-log.js';
import type { AuthorizationServer } from '../auth/oauth/authorization-server.js';
import { ConfigurationError } from '../errors/configuration-error.js';
import type { Logger } from '../log/logger.js';
import { SecretBox } from '../store/secret-box.js';
import type { Directory } from '../tenancy/directory.js';
import { pageHeaders } from './layout.js';
import { messagePage } from './pages/message-page.js';

type Ctx = Context<{ Bindings: HttpBindings }>;
type Interaction = Awaited<ReturnType<AuthorizationServer['provider']['interactionDetails']>>;

export interface UpstreamOptions {
  readonly name: string;
  readonly issuer: string;
  readonly clientId: string;
  readonly clientSecret?: string | undefined;
  readonly createUsers: boolean;
  readonly allowInsecureIssuer: boolean;
}

interface Discovery {
  readonly issuer: string;
  readonly authorization_endpoint: string;
  readonly token_endpoint: string;
  readonly jwks_uri: string;
}

interface Helpers {
  interaction(c: Ctx): Promise<Interaction | undefined>;
  trustedForm(c: Ctx, uid: string): Promise<Record<string, string> | undefined>;
  noPending(c: Ctx): Response;
  renderSignIn(c: Ctx, details: Interaction, status: number, error?: string): Promise<Response>;
}

const COOKIE = 'gh_upstream';
const FLOW_MS = 10 * 60_000;

/**
 * Sign-in delegated to an upstream OpenID Connect provider (B-AUTH-11):
 * authorization code with PKCE, state and nonce; the ID token is verified
 * against the provider's keys; the user is found by their upstream subject,
 * then by verified email, and optionally created.
 */
export class UpstreamSignIn {
  readonly name: string;
  readonly #box: SecretBox;
  #discovery: Promise<Discovery> | undefined;
  #jwks: JWTVerifyGetKey | undefined;
  #origin: string;

  private constructor(
    private readonly options: UpstreamOptions,
    private readonly publicUrl: URL,
    private readonly directory: Directory,
    private readonly as: AuthorizationServer,
    private readonly product: string,
    private readonly logger: Logger,
    secret: string,
    private readonly audit: AuditLog,
  ) {
    this.name = options.name;
    this.#origin = new URL(options.issuer).origin;
    this.#box = new SecretBox(secret, 'upstream-sign-in');
  }

  /**
   * Discovers the provider at start-up so a misconfiguration shows at once;
   * if it is unreachable, starts anyway and retries at the next sign-in, so a
   * provider's outage never stops the MCP server from starting.
   */
  static async create(
    options: UpstreamOptions,
    deps: { publicUrl: URL; directory: Directory; as: AuthorizationServer; product: string; logger: Logger; secret: string; audit: AuditLog },
  ): Promise<UpstreamSignIn> {
    const issuer = new URL(options.issuer);
    if (issuer.protocol !== 'https:' && !options.allowInsecureIssuer) throw new ConfigurationError('the upstream issuer must use https', 'auth.upstream.issuer');
    const upstream = new UpstreamSignIn(options, deps.publicUrl, deps.directory, deps.as, deps.product, deps.logger, deps.secret, deps.audit);
    await upstream.#discover().catch((err: unknown) => deps.logger.warn({ err, issuer: options.issuer }, 'upstream sign-in provider unreachable; retrying at the next sign-in'));
    return upstream;
  }

  /** The origin sign-in forms may send the browser to (CSP form-action). */
  get origin(): string {
    return this.#origin;
  }

  #discover(): Promise<Discovery> {
    this.#discovery ??= this.#fetchDiscovery().catch((err: unknown) => {
      this.#discovery = undefined;
      throw err;
    });
    return this.#discovery;
  }

  async #fetchDiscovery(): Promise<Discovery> {
    const issuer = new URL(this.options.issuer);
    const res = await fetch(new URL(`${issuer.pathname.replace(/\/$/, '')}/.well-known/openid-configuration`, issuer), { redirect: 'error', signal: AbortSignal.timeout(5000) });
    if (!res.ok) throw new Error(`upstream discovery answered HTTP ${res.status}`);
    const discovery = (await res.json()) as Discovery;
    if (discovery.issuer !== this.options.issuer.replace(/\/$/, '') && discovery.issuer !== this.options.issuer) throw new Error('upstream discovery names another issuer');
    this.#origin = new URL(discovery.authorization_endpoint).origin;
    this.#jwks = createRemoteJWKSet(new URL(discovery.jwks_uri));
    return discovery;
  }

  get #callbackUrl(): string {
    return new URL('/oauth/upstream/callback', this.publicUrl).href;
  }

  /** A failed upstream sign-in, audited by its code (B-OPS-02): the upstream's messages can carry an email, so they are not recorded. */
  #failed(outcome: 'invalid_state' | 'access_denied' | 'upstream_failed', clientId: string | null): void {
    this.audit.record({ kind: 'sign_in_failed', outcome, clientId, detail: { method: 'upstream', provider: this.options.issuer } });
  }

  #fail(c: Ctx, message: string): Response {
    const body = messagePage({ product: this.product, title: `Sign-in with ${this.name} failed`, message, next: 'Start the connection again from your MCP client.', tone: 'error' });
    return c.body(body, 400, pageHeaders());
  }

  routes(app: Hono<{ Bindings: HttpBindings }>, h: Helpers): void {
    app.post('/oauth/interaction/:uid/upstream', async (c) => {
      const details = await h.interaction(c);
      if (details === undefined) return h.noPending(c);
      if ((await h.trustedForm(c, details.uid)) === undefined) return h.renderSignIn(c, details, 403, 'This form expired. Please try again.');
      const discovery = await this.#discover().catch((err: unknown) => {
        this.logger.warn({ err, issuer: this.options.issuer }, 'upstream sign-in provider unreachable');
        return undefined;
      });
      if (discovery === undefined) return this.#fail(c, `${this.name} cannot be reached right now. Please try again in a few minutes.`);
      const state = randomBytes(24).toString('base64url');
      const nonce = randomBytes(24).toString('base64url');
      const verifier = randomBytes(32).toString('base64url');
      const clientId = String(details.params.client_id);
      setCookie(c, COOKIE, this.#box.seal(JSON.stringify({ uid: details.uid, clientId, state, nonce, verifier, exp: Date.now() + FLOW_MS })), {
        path: '/oauth/upstream',
        httpOnly: true,
        sameSite: 'Lax',
        secure: this.publicUrl.protocol === 'https:',
        maxAge: FLOW_MS / 1000,
      });
      const target = new URL(discovery.authorization_endpoint);
      target.search = new URLSearchParams({
        response_type: 'code',
        client_id: this.options.clientId,
        redirect_uri: this.#callbackUrl,
        scope: 'openid email profile',
        state,
        nonce,
        code_challenge: createHash('sha256').update(verifier).digest('base64url'),
        code_challenge_method: 'S256',
      }).toString();
      return c.redirect(target.href, 303);
    });

    app.get('/oauth/upstream/callback', async (c) => {
      const sealed = getCookie(c, COOKIE);
      deleteCookie(c, COOKIE, { path: '/oauth/upstream' });
      let flow: { uid: string; clientId?: string; state: string; nonce: string; verifier: string; exp: number };
      try {
        flow = JSON.parse(this.#box.open(sealed ?? '')) as typeof flow;
      } catch {
        this.#failed('invalid_state', null);
        return this.#fail(c, 'This sign-in was not started here, or it expired.');
      }
      const clientId = flow.clientId ?? null;
      if (flow.exp < Date.now() || c.req.query('state') !== flow.state) {
        this.#failed('invalid_state', clientId);
        return this.#fail(c, 'This sign-in was not started here, or it expired.');
      }
      const code = c.req.query('code');
      if (code === undefined) {
        this.#failed('access_denied', clientId);
        return this.#fail(c, `${this.name} did not sign you in (${c.req.query('error') ?? 'no code'}).`);
      }
      const userId = await this.#exchange(code, flow).catch((err: unknown) => {
        this.logger.warn({ err }, 'upstream sign-in failed');
        return err instanceof Error ? err : new Error('sign-in failed');
      });
      if (userId instanceof Error) {
        this.#failed('upstream_failed', clientId);
        return this.#fail(c, userId.message);
      }
      const result = this.#box.seal(JSON.stringify({ uid: flow.uid, userId, exp: Date.now() + 120_000 }));
      return c.redirect(`/oauth/interaction/${flow.uid}/upstream/done?result=${encodeURIComponent(result)}`, 303);
    });

    // Back under the interaction's path, where its cookie is sent, to finish the login.
    app.get('/oauth/interaction/:uid/upstream/done', async (c) => {
      const details = await h.interaction(c);
      if (details === undefined) return h.noPending(c);
      let result: { uid: string; userId: string; exp: number };
      try {
        result = JSON.parse(this.#box.open(c.req.query('result') ?? '')) as typeof result;
      } catch {
        return this.#fail(c, 'This sign-in result is not valid.');
      }
      if (result.uid !== details.uid || result.exp < Date.now()) return this.#fail(c, 'This sign-in result expired.');
      this.logger.info({ user_id: result.userId, provider: this.options.issuer }, 'user signed in upstream');
      this.audit.record({ kind: 'sign_in', outcome: 'ok', userId: result.userId, clientId: String(details.params.client_id), detail: { method: 'upstream', provider: this.options.issuer } });
      const to = await this.as.provider.interactionResult(c.env.incoming, c.env.outgoing, { login: { accountId: result.userId, remember: false } }, { mergeWithLastSubmission: false });
      return c.redirect(to, 303);
    });
  }

  /** Exchanges the code, verifies the ID token and resolves the Gatehouse user; an Error's message is shown to the user. */
  async #exchange(code: string, flow: { nonce: string; verifier: string }): Promise<string> {
    const discovery = await this.#discover();
    const body = new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: this.#callbackUrl, code_verifier: flow.verifier });
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    if (this.options.clientSecret === undefined) body.set('client_id', this.options.clientId);
    else headers.authorization = `Basic ${Buffer.from(`${encodeURIComponent(this.options.clientId)}:${encodeURIComponent(this.options.clientSecret)}`).toString('base64')}`;
    const res = await fetch(discovery.token_endpoint, { method: 'POST', headers, body, redirect: 'error', signal: AbortSignal.timeout(10_000) });
    if (!res.ok) throw new Error(`${this.name} refused the sign-in (HTTP ${res.status}).`);
    const tokens = (await res.json()) as { id_token?: string };
    if (typeof tokens.id_token !== 'string') throw new Error(`${this.name} returned no identity.`);
    const { payload } = await jwtVerify(tokens.id_token, this.#jwks as JWTVerifyGetKey, { issuer: discovery.issuer, audience: this.options.clientId });
    if (payload.nonce !== flow.nonce || typeof payload.sub !== 'string') throw new Error(`${this.name} returned an identity for another sign-in.`);
    const known = await this.directory.findUserByIdentity(this.options.issuer, payload.sub);
    if (known !== undefined) return known.id;
    const email = typeof payload.email === 'string' && payload.email_verified === true ? payload.email : undefined;
    if (email === undefined) throw new Error(`${this.name} did not share a verified email address.`);
    const byEmail = await this.directory.findUserByEmail(email);
    const user = byEmail ?? (this.options.createUsers ? await this.directory.createUser({ email, ...(typeof payload.name === 'string' ? { name: payload.name } : {}) }) : undefined);
    if (user === undefined) throw new Error(`No ${this.product} account uses ${email}. Ask an owner to invite you.`);
    await this.directory.linkIdentity(this.options.issuer, payload.sub, user.id);
    return user.id;
  }
}
