import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import { GatehouseError } from '../errors/gatehouse-error.js';
import type { Logger } from '../log/logger.js';
import { encodeHttpError } from './encode-http-error.js';
import type { AuthorizationServer } from '../auth/oauth/authorization-server.js';
import type { McpEndpoint } from './mcp-endpoint.js';
import { fromNodeRequest, writeNodeReply } from './node-adapter.js';

/**
 * The Node request listener. `/mcp` goes straight to the endpoint on Node's
 * own request and response (the hot path builds no web Request/Response);
 * the authorization server's routes go to oidc-provider; every other route
 * goes through the Hono app.
 */
export function createNodeListener(o: {
  endpoint: McpEndpoint;
  app: Hono;
  logger: Logger;
  as: AuthorizationServer | undefined;
  trustProxy: boolean;
}): (req: IncomingMessage, res: ServerResponse) => void {
  const { endpoint, logger, as } = o;
  // Leave the global Response alone: Gatehouse is a library inside someone else's process.
  const rest = getRequestListener(o.app.fetch, { overrideGlobalObjects: false });
  return (req, res) => {
    const url = req.url ?? '/';
    if (url !== '/mcp' && !url.startsWith('/mcp?')) {
      const path = url.split('?')[0] as string;
      if (as?.handles(path) === true) as.handleNode(req, res, clientIp(req, o.trustProxy));
      else void rest(req, res);
      return;
    }
    endpoint.handle(fromNodeRequest(req, res)).then(
      (reply) => writeNodeReply(res, reply),
      (err: unknown) => {
        const requestId = randomUUID();
        logger.error({ err, request_id: requestId }, 'unhandled error on /mcp');
        if (!res.headersSent) writeNodeReply(res, encodeHttpError(new GatehouseError('internal_error', { cause: err }), requestId));
        else res.destroy();
      },
    );
  };
}

/** The client's address: the socket's, or the first X-Forwarded-For hop when a trusted proxy sets it. */
export function clientIp(req: IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy ? req.headers['x-forwarded-for'] : undefined;
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  return first !== undefined && first !== '' ? first : (req.socket.remoteAddress ?? 'unknown');
}
