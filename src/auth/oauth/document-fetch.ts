import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import type { Configuration } from 'oidc-provider';
import { isSpecialUseAddress } from './special-use-address.js';

type AgentClass = new (options: { connect?: Record<string, unknown> }) => object;
type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

export interface DocumentFetchOptions {
  /** Reach loopback and private addresses (development and tests only). */
  readonly allowPrivateNetwork: boolean;
  /** Extra CA certificates (PEM) to trust, e.g. a corporate CA. */
  readonly tlsCa?: string | undefined;
}

/** A DNS lookup that fails for names resolving to special-use addresses, so the connection is never opened. */
function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
    if (err !== null) return callback(err, []);
    const refused = addresses.find((a) => isSpecialUseAddress(a.address));
    if (refused !== undefined) {
      const error: NodeJS.ErrnoException = new Error(`${hostname} resolves to a special-use address (${refused.address}); refusing to fetch`);
      error.code = 'ESPECIALUSE';
      return callback(error, []);
    }
    if (options.all === true) return callback(null, addresses);
    const first = addresses[0] as LookupAddress;
    callback(null, first.address, first.family);
  });
}

/**
 * The fetch oidc-provider uses for Client ID Metadata Documents when the
 * defaults do not fit: with an extra CA, or (development only) reaching the
 * private network. Without `allowPrivateNetwork` it keeps the SSRF rule:
 * names are resolved here and special-use addresses refused before connecting,
 * IP literals too. oidc-provider still applies its timeout, size limit and
 * manual redirects. Returns undefined when its own SSRF-protected fetch fits.
 */
export function documentFetch(options: DocumentFetchOptions): Configuration['fetch'] | undefined {
  if (!options.allowPrivateNetwork && options.tlsCa === undefined) return undefined;
  // Node's fetch is undici; its Agent class is reachable through the global dispatcher (as oidc-provider does).
  void Response;
  const dispatcher = (globalThis as Record<symbol, unknown>)[Symbol.for('undici.globalDispatcher.1')];
  const Agent = (dispatcher as { constructor: AgentClass } | undefined)?.constructor;
  if (Agent === undefined) throw new Error('cannot create a fetch dispatcher on this runtime');
  const agent = new Agent({
    connect: { ...(options.tlsCa === undefined ? {} : { ca: options.tlsCa }), ...(options.allowPrivateNetwork ? {} : { lookup: guardedLookup }) },
  });
  return ((url: string | URL, init: RequestInit) => {
    const host = new URL(url).hostname;
    if (!options.allowPrivateNetwork && /^[\d.]+$|^\[.*\]$/.test(host) && isSpecialUseAddress(host)) {
      return Promise.reject(new Error(`${host} is a special-use address; refusing to fetch`));
    }
    return fetch(url, { ...init, dispatcher: agent } as RequestInit);
  }) as Configuration['fetch'];
}
