import { createHash, randomBytes } from 'node:crypto';
import { SignJWT, createLocalJWKSet, decodeJwt, decodeProtectedHeader, generateKeyPair, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';

/**
 * The `--auth oauth` side of the benchmark: a real access token from
 * Gatehouse's built-in authorization server, obtained over HTTP exactly as an
 * MCP client and its user would (dynamic client registration, authorization
 * with PKCE S256 and `resource`, the sign-in form, the consent form, the code
 * exchange), and the verification the SDK peer applies to it on every
 * request. A trimmed copy of `test/helpers/oauth-flow.ts`, which is not part
 * of the build.
 */

/** The seeded account the runner signs in as. */
export const BENCH_USER_EMAIL = 'bench@example.com';
export const BENCH_ORG_SLUG = 'bench';
/** The seeded account's password, runner to Gatehouse child, through the environment only (never argv). */
export const PASSWORD_ENV = 'BENCH_USER_PASSWORD';
/** What the peer child verifies against: the issuing Gatehouse's public JWKS (JSON), issuer and audience. */
export const JWKS_ENV = 'BENCH_OAUTH_JWKS';
export const ISSUER_ENV = 'BENCH_OAUTH_ISSUER';
export const AUDIENCE_ENV = 'BENCH_OAUTH_AUDIENCE';
/** Access-token lifetime Gatehouse is configured with, s: longer than any round, so no token expires mid-measurement. */
export const ACCESS_TOKEN_TTL_SEC = 3600;
/** The registered client's callback; nothing listens there, the runner reads the code off the redirect. */
const REDIRECT_URI = 'http://127.0.0.1:9/callback';
/** The checks every verifier applies to these tokens (Gatehouse's own: RFC 9068 `at+jwt`, ES256, 30 s leeway). */
const ALGORITHMS = ['ES256'];
const TYP = 'at+jwt';
const CLOCK_TOLERANCE_SEC = 30;

/** A fresh password per run (well over the 12-character minimum). */
export function newPassword(): string {
  return randomBytes(24).toString('base64url');
}

export function passwordFromEnv(): string {
  const password = process.env[PASSWORD_ENV];
  if (password === undefined || password.length < 12) throw new Error(`${PASSWORD_ENV} must hold the bench user's password (>= 12 chars)`);
  return password;
}

/** A path-aware cookie jar with manual redirects and form posts: just enough browser for sign-in and consent. */
class FlowBrowser {
  readonly #cookies = new Map<string, { value: string; path: string }>();

  constructor(readonly base: string) {}

  #cookieHeader(path: string): string {
    return [...this.#cookies]
      .filter(([, c]) => path.startsWith(c.path))
      .map(([name, c]) => `${name}=${c.value}`)
      .join('; ');
  }

  #store(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const [name, ...rest] = (pair ?? '').split('=');
      const path = attrs.map((a) => a.trim()).find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? '/';
      if (name !== undefined) this.#cookies.set(name.trim(), { value: rest.join('='), path });
    }
  }

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const target = new URL(url, this.base);
    const headers = new Headers(init.headers);
    const cookie = this.#cookieHeader(target.pathname);
    if (cookie !== '') headers.set('cookie', cookie);
    const res = await fetch(target, { ...init, headers, redirect: 'manual' });
    this.#store(res);
    return res;
  }

  /** Follows same-origin redirects; stops at the first one leaving this server (the client's callback) or at a page. */
  async follow(res: Response): Promise<{ url: string; status: number; body: string }> {
    let current = res;
    let url = current.url;
    for (let i = 0; i < 10 && current.status >= 300 && current.status < 400; i++) {
      const next = new URL(current.headers.get('location') ?? '', this.base);
      url = next.href;
      if (next.origin !== new URL(this.base).origin) {
        await current.body?.cancel();
        return { url, status: current.status, body: '' };
      }
      await current.body?.cancel();
      current = await this.request(next.href);
    }
    return { url, status: current.status, body: await current.text() };
  }

  postForm(url: string, form: Record<string, string>): Promise<Response> {
    return this.request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(this.base).origin },
      body: new URLSearchParams(form),
    });
  }
}

function pageField(step: string, html: string, pattern: RegExp): string {
  const value = pattern.exec(html)?.[1];
  if (value === undefined) throw new Error(`OAuth flow, ${step}: expected a form, got ${html.slice(0, 300)}`);
  return value;
}

const formAction = (step: string, html: string) => pageField(step, html, /<form method="post" action="([^"]+)"/);
const csrfOf = (step: string, html: string) => pageField(step, html, /name="csrf" value="([^"]+)"/);

async function json(step: string, res: Response): Promise<Record<string, unknown>> {
  const text = await res.text();
  if (!res.ok) throw new Error(`OAuth flow, ${step}: HTTP ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text) as Record<string, unknown>;
}

export interface IssuedToken {
  readonly token: string;
  readonly issuer: string;
  readonly audience: string;
  /** The authorization server's public signing keys, as served at `/oauth/jwks`. */
  readonly jwks: JSONWebKeySet;
  /** The token's `scope` claim, for the log. */
  readonly scope: string;
}

/**
 * Signs in to the Gatehouse at `base` as the seeded user and returns the
 * access token its authorization server issues for `<base>/mcp`, with the
 * JWKS that verifies it. Fails loudly if any step, or the token's shape,
 * differs from what an MCP client would get.
 */
export async function obtainAccessToken(base: string, credentials: { readonly email: string; readonly password: string }): Promise<IssuedToken> {
  const resource = new URL('/mcp', base).href;
  const registered = await json(
    'dynamic client registration',
    await fetch(new URL('/oauth/register', base), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_name: 'Gatehouse benchmark', redirect_uris: [REDIRECT_URI] }),
    }),
  );
  const clientId = registered.client_id;
  if (typeof clientId !== 'string') throw new Error('OAuth flow, dynamic client registration: no client_id');

  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(8).toString('hex');
  const query = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: REDIRECT_URI,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    state,
    resource,
  });
  const browser = new FlowBrowser(base);
  const signIn = await browser.follow(await browser.request(`/oauth/authorize?${query}`));
  const consent = await browser.follow(
    await browser.postForm(formAction('sign-in page', signIn.body), { csrf: csrfOf('sign-in page', signIn.body), email: credentials.email, password: credentials.password }),
  );
  const organization = /name="organization" value="([^"]+)"/.exec(consent.body)?.[1] ?? '';
  const done = await browser.follow(await browser.postForm(formAction('consent page', consent.body), { csrf: csrfOf('consent page', consent.body), organization, decision: 'approve' }));
  const callback = new URL(done.url);
  const code = callback.searchParams.get('code');
  if (code === null || callback.origin + callback.pathname !== REDIRECT_URI) throw new Error(`OAuth flow, consent: no authorization code (${done.url} ${done.body.slice(0, 300)})`);
  if (callback.searchParams.get('state') !== state) throw new Error('OAuth flow, consent: state was not returned unchanged');

  const tokens = await json(
    'code exchange',
    await fetch(new URL('/oauth/token', base), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, client_id: clientId, code_verifier: verifier, redirect_uri: REDIRECT_URI }),
    }),
  );
  const token = tokens.access_token;
  if (typeof token !== 'string' || String(tokens.token_type).toLowerCase() !== 'bearer') throw new Error(`OAuth flow, code exchange: no bearer access token in ${JSON.stringify(Object.keys(tokens))}`);

  const jwks = (await json('JWKS', await fetch(new URL('/oauth/jwks', base)))) as unknown as JSONWebKeySet;
  const header = decodeProtectedHeader(token);
  const claims = decodeJwt(token);
  if (header.alg !== 'ES256' || header.typ !== TYP) throw new Error(`OAuth flow: expected an ES256 ${TYP} access token, got alg ${header.alg} typ ${header.typ}`);
  if (typeof claims.iss !== 'string') throw new Error('OAuth flow: the access token has no issuer');
  // The runner checks the token exactly as the peer will, so a mismatch shows up here, named, rather than as 401s.
  const payload = await verifyAccessToken(token, { jwks: createLocalJWKSet(jwks), issuer: new URL(base).origin, audience: resource });
  return { token, issuer: new URL(base).origin, audience: resource, jwks, scope: typeof payload.scope === 'string' ? payload.scope : '' };
}

export interface AccessTokenCheck {
  readonly jwks: ReturnType<typeof createLocalJWKSet>;
  readonly issuer: string;
  readonly audience: string;
}

/** The peer's per-request verification: ES256 signature against the issuer's JWKS, issuer, audience, `typ` at+jwt, expiry with 30 s leeway. */
export async function verifyAccessToken(token: string, check: AccessTokenCheck): Promise<JWTPayload> {
  const { payload } = await jwtVerify(token, check.jwks, { issuer: check.issuer, audience: check.audience, algorithms: ALGORITHMS, typ: TYP, clockTolerance: CLOCK_TOLERANCE_SEC });
  return payload;
}

/** Reads the peer's verification inputs from the environment the runner set. */
export function accessTokenCheckFromEnv(): AccessTokenCheck {
  const raw = process.env[JWKS_ENV];
  const issuer = process.env[ISSUER_ENV];
  const audience = process.env[AUDIENCE_ENV];
  if (raw === undefined || issuer === undefined || audience === undefined) throw new Error(`${JWKS_ENV}, ${ISSUER_ENV} and ${AUDIENCE_ENV} must describe the issuing authorization server`);
  return { jwks: createLocalJWKSet(JSON.parse(raw) as JSONWebKeySet), issuer, audience };
}

/**
 * A copy of the issued token, same header (ES256, `typ`, the real `kid`) and
 * same claims, re-signed with a key the authorization server never had: only
 * a verifier that really checks the signature refuses it.
 */
export async function forgedToken(issued: IssuedToken): Promise<string> {
  const { privateKey } = await generateKeyPair('ES256');
  const header = decodeProtectedHeader(issued.token);
  return new SignJWT(decodeJwt(issued.token))
    .setProtectedHeader({ alg: 'ES256', typ: TYP, ...(header.kid === undefined ? {} : { kid: header.kid }) })
    .sign(privateKey);
}
