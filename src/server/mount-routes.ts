import type { Hono } from 'hono';
import { GATEHOUSE_CSS } from '../dashboard/assets/gatehouse-css.js';
import type { BuiltAuth } from './build-auth.js';

const CSS_ETAG = `"${Buffer.from(GATEHOUSE_CSS).length.toString(36)}-${[...GATEHOUSE_CSS].reduce((h, ch) => (h * 31 + ch.charCodeAt(0)) >>> 0, 7).toString(36)}"`;

/** Mounts the routes authentication brings, the discovery metadata, and the pages' stylesheet. */
export function mountRoutes(app: Hono, auth: BuiltAuth): void {
  app.get('/assets/gatehouse.css', (c) => {
    if (c.req.header('if-none-match') === CSS_ETAG) return c.body(null, 304);
    return c.body(GATEHOUSE_CSS, 200, { 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=3600', etag: CSS_ETAG });
  });
  const as = auth.as;
  if (as !== undefined) {
    // RFC 9728: path-inserted for /mcp, and at the root for clients that only look there.
    const metadata = (c: { json: (body: unknown, status: 200, headers: Record<string, string>) => Response }) =>
      c.json(as.resourceMetadata(), 200, { 'cache-control': 'public, max-age=300', 'access-control-allow-origin': '*' });
    app.get('/.well-known/oauth-protected-resource/mcp', metadata);
    app.get('/.well-known/oauth-protected-resource', metadata);
  }
  for (const routes of auth.routes) app.route('/', routes);
}
