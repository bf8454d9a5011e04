import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import {
  Client,
  StreamableHTTPClientTransport,
  type OAuthClientMetadata,
  type OAuthClientProvider,
  type OAuthDiscoveryState,
  type StoredOAuthClientInformation,
  type StoredOAuthTokens,
} from '@modelcontextprotocol/client';

/** What an MCP client keeps between runs, in memory: the official SDK's OAuth provider interface. */
export class TestOAuthProvider implements OAuthClientProvider {
  client: StoredOAuthClientInformation | undefined;
  stored: StoredOAuthTokens | undefined;
  verifier: string | undefined;
  discovery: OAuthDiscoveryState | undefined;
  lastState: string | undefined;
  pendingUrl: URL | undefined;
  clientMetadataUrl: string | undefined;

  constructor(
    readonly redirect: string,
    options: { clientMetadataUrl?: string; name?: string } = {},
  ) {
    this.clientMetadataUrl = options.clientMetadataUrl;
    this.#name = options.name ?? 'Gatehouse test client';
  }

  readonly #name: string;

  get redirectUrl() {
    return this.redirect;
  }
  get clientMetadata(): OAuthClientMetadata {
    return { client_name: this.#name, redirect_uris: [this.redirect], grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'], token_endpoint_auth_method: 'none' };
  }
  state() {
    this.lastState = randomBytes(16).toString('base64url');
    return this.lastState;
  }
  clientInformation() {
    return this.client;
  }
  saveClientInformation(info: StoredOAuthClientInformation) {
    this.client = info;
  }
  tokens() {
    return this.stored;
  }
  saveTokens(tokens: StoredOAuthTokens) {
    this.stored = tokens;
  }
  redirectToAuthorization(url: URL) {
    this.pendingUrl = url;
  }
  saveCodeVerifier(v: string) {
    this.verifier = v;
  }
  codeVerifier() {
    if (this.verifier === undefined) throw new Error('no verifier');
    return this.verifier;
  }
  saveDiscoveryState(s: OAuthDiscoveryState) {
    this.discovery = s;
  }
  discoveryState() {
    return this.discovery;
  }
  invalidateCredentials(scope: 'all' | 'client' | 'tokens' | 'verifier' | 'discovery') {
    if (scope === 'all' || scope === 'client') this.client = undefined;
    if (scope === 'all' || scope === 'tokens') this.stored = undefined;
    if (scope === 'all' || scope === 'verifier') this.verifier = undefined;
    if (scope === 'all' || scope === 'discovery') this.discovery = undefined;
  }
}

/** A loopback callback server (the client's redirect URI); `next()` resolves with the next callback's query. */
export async function callbackServer(): Promise<{ url: string; next(): Promise<URLSearchParams>; close(): Promise<void> }> {
  let waiting: ((params: URLSearchParams) => void) | undefined;
  const queue: URLSearchParams[] = [];
  const server: Server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>Done</title><p>Authorization complete. You can close this window.</p>');
    if (u.pathname !== '/callback') return;
    if (waiting !== undefined) {
      waiting(u.searchParams);
      waiting = undefined;
    } else queue.push(u.searchParams);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/callback`,
    next: () => (queue.length > 0 ? Promise.resolve(queue.shift() as URLSearchParams) : new Promise((resolve) => (waiting = resolve))),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export function newClient(): Client {
  return new Client({ name: 'gatehouse-e2e', version: '1.0.0' });
}

export { Client, StreamableHTTPClientTransport };
