import { createHash, randomBytes } from 'node:crypto';

/** A tiny browser for HTTP-level OAuth tests: a path-aware cookie jar, manual redirects, form posts. */
export class FlowBrowser {
  readonly #cookies = new Map<string, { value: string; path: string }>();

  constructor(readonly base: string) {}

  #cookieHeader(path: string): string {
    return [...this.#cookies].filter(([, c]) => path.startsWith(c.path)).map(([name, c]) => `${name}=${c.value}`).join('; ');
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

  /** Follows same-origin redirects; stops at the first one leaving this server (the client's callback) or a page. */
  async follow(res: Response): Promise<{ res: Response; url: string; body: string }> {
    let current = res;
    let url = current.url;
    for (let i = 0; i < 10 && current.status >= 300 && current.status < 400; i++) {
      const next = new URL(current.headers.get('location') as string, this.base);
      url = next.href;
      if (next.origin !== new URL(this.base).origin) return { res: current, url, body: '' };
      current = await this.request(next.href);
    }
    return { res: current, url, body: await current.text() };
  }

  async postForm(url: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    return this.request(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: new URL(this.base).origin, ...headers }, body: new URLSearchParams(form) });
  }
}

export function pkce(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

export function csrfOf(html: string): string {
  const m = /name="csrf" value="([^"]+)"/.exec(html);
  if (m === null) throw new Error(`no CSRF token in page: ${html.slice(0, 300)}`);
  return m[1] as string;
}

export function actionOf(html: string): string {
  const m = /<form method="post" action="([^"]+)"/.exec(html);
  if (m === null) throw new Error('no form in page');
  return m[1] as string;
}

export interface Authorized {
  readonly code: string;
  readonly state: string | null;
  readonly iss: string | null;
  readonly callback: URL;
}

/**
 * Registers a public client (or uses `clientId`), then plays the whole
 * authorization as a user would: sign-in page, consent page, approve.
 */
export async function authorize(
  base: string,
  o: { email: string; password: string; redirectUri: string; clientId?: string; organization?: string; scope?: string; resource?: string; challenge?: string; extra?: Record<string, string>; browser?: FlowBrowser; onConsent?: (html: string) => void },
): Promise<Authorized & { clientId: string; verifier: string; browser: FlowBrowser }> {
  const browser = o.browser ?? new FlowBrowser(base);
  let clientId = o.clientId;
  if (clientId === undefined) {
    const reg = await fetch(`${base}/oauth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_name: 'Flow test client', redirect_uris: [o.redirectUri] }) });
    clientId = ((await reg.json()) as { client_id: string }).client_id;
  }
  const { verifier, challenge } = pkce();
  const q = new URLSearchParams({
    response_type: 'code',
    client_id: clientId,
    redirect_uri: o.redirectUri,
    code_challenge: o.challenge ?? challenge,
    code_challenge_method: 'S256',
    state: randomBytes(8).toString('hex'),
    resource: o.resource ?? `${base}/mcp`,
    ...(o.scope === undefined ? {} : { scope: o.scope }),
    ...o.extra,
  });
  const signIn = await browser.follow(await browser.request(`/oauth/authorize?${q}`));
  const consent = await browser.follow(await browser.postForm(actionOf(signIn.body), { csrf: csrfOf(signIn.body), email: o.email, password: o.password }));
  o.onConsent?.(consent.body);
  const orgId = o.organization ?? /name="organization" value="([^"]+)"/.exec(consent.body)?.[1] ?? '';
  const done = await browser.follow(await browser.postForm(actionOf(consent.body), { csrf: csrfOf(consent.body), organization: orgId, decision: 'approve' }));
  const callback = new URL(done.url);
  const code = callback.searchParams.get('code');
  if (code === null) throw new Error(`no code: ${done.url} ${done.body.slice(0, 300)}`);
  return { code, state: callback.searchParams.get('state'), iss: callback.searchParams.get('iss'), callback, clientId, verifier, browser };
}

export async function tokenRequest(base: string, form: Record<string, string>): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(`${base}/oauth/token`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form) });
  return { status: res.status, body: (await res.json()) as Record<string, unknown>, headers: res.headers };
}
