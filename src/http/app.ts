import { Hono } from 'hono';
import { GatehouseError } from '../errors/gatehouse-error.js';
import type { Logger } from '../log/logger.js';
import { encodeHttpError } from './encode-http-error.js';
import { fromWebRequest, toWebResponse } from './web-adapter.js';
import type { McpEndpoint } from './mcp-endpoint.js';

/**
 * The HTTP application: `/mcp` plus operational routes. Unknown paths and
 * unexpected exceptions answer with the catalogue shape, never a stack.
 */
export function createApp(options: { endpoint: McpEndpoint; logger: Logger }): Hono {
  const app = new Hono();
  // First, so no middleware runs on the hot path; the endpoint sets its own headers.
  app.all('/mcp', async (c) => toWebResponse(await options.endpoint.handle(fromWebRequest(c.req.raw))));
  app.use('*', async (c, next) => {
    await next();
    c.res.headers.set('x-content-type-options', 'nosniff');
  });
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.notFound((c) => {
    const requestId = crypto.randomUUID();
    return toWebResponse(encodeHttpError(new GatehouseError('not_found', { message: `No route for ${c.req.method} ${new URL(c.req.url).pathname}` }), requestId));
  });
  app.onError((err, c) => {
    const requestId = crypto.randomUUID();
    options.logger.error({ err, request_id: requestId, path: new URL(c.req.url).pathname }, 'unhandled error');
    return toWebResponse(encodeHttpError(new GatehouseError('internal_error', { cause: err }), requestId));
  });
  return app;
}
