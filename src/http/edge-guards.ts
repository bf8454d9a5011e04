import { GatehouseError } from '../errors/gatehouse-error.js';
import type { HeaderSource } from '../protocol/classify.js';

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]'];

/** Which Host and Origin values the endpoint answers (DNS-rebinding protection, B-SRV-04). */
export interface HostPolicy {
  /** Lower-case hostnames (no port); `*` allows any. */
  readonly hosts: ReadonlySet<string>;
  /** Exact origins (`scheme://host[:port]`) browsers may call from. */
  readonly origins: ReadonlySet<string>;
}

/**
 * Derives the policy from the public URL: its host and origin, plus loopback
 * when the public URL itself is loopback (local development).
 */
export function hostPolicy(publicUrl: URL, extraHosts: readonly string[] = [], extraOrigins: readonly string[] = []): HostPolicy {
  const hosts = new Set([publicUrl.hostname.toLowerCase(), ...extraHosts.map((h) => h.toLowerCase())]);
  const origins = new Set([publicUrl.origin, ...extraOrigins]);
  if (LOOPBACK.includes(publicUrl.hostname)) {
    for (const h of LOOPBACK) {
      hosts.add(h);
      origins.add(`${publicUrl.protocol}//${h}${publicUrl.port === '' ? '' : `:${publicUrl.port}`}`);
    }
  }
  return { hosts, origins };
}

function hostname(host: string): string {
  // `[::1]:3000` keeps its brackets; `example.com:443` loses the port.
  const end = host.startsWith('[') ? host.indexOf(']') + 1 : host.lastIndexOf(':') === -1 ? host.length : host.lastIndexOf(':');
  return host.slice(0, end > 0 ? end : host.length).toLowerCase();
}

/** Refuses requests whose Host or Origin this server does not serve. */
export function checkEdge(headers: HeaderSource, policy: HostPolicy): GatehouseError | undefined {
  const host = headers.get('host');
  if (!policy.hosts.has('*') && (host === null || host === undefined || !policy.hosts.has(hostname(host)))) {
    return new GatehouseError('invalid_host', { message: `Host is not allowed: ${host ?? '(none)'}`, details: { host } });
  }
  const origin = headers.get('origin');
  if (origin !== null && origin !== undefined && !policy.origins.has(origin)) {
    return new GatehouseError('forbidden_origin', { message: `Origin is not allowed: ${origin}`, details: { origin } });
  }
  return undefined;
}
