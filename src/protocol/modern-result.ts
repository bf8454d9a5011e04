import type { CacheHint } from '../tools/define-resource.js';
import type { ServerIdentity } from './method-deps.js';
import { META } from './versions.js';

/**
 * Stamps a 2026-07-28 result: `resultType`, the server identity in `_meta`,
 * and the caching hints the cacheable methods must carry.
 */
export function modernResult(result: Readonly<Record<string, unknown>>, server: ServerIdentity, cache?: CacheHint): Record<string, unknown> {
  const meta = (result._meta ?? {}) as Record<string, unknown>;
  return {
    ...result,
    resultType: result.resultType ?? 'complete',
    ...(cache === undefined ? {} : { ttlMs: cache.ttlMs, cacheScope: cache.scope }),
    _meta: { ...meta, [META.serverInfo]: serverInfo(server) },
  };
}

export function serverInfo(server: ServerIdentity): Record<string, string> {
  return { name: server.name, version: server.version, ...(server.title === undefined ? {} : { title: server.title }) };
}
