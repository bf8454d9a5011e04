import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { parseArgs } from 'node:util';
import { localhostHostValidation, localhostOriginValidation, toNodeHandler } from '@modelcontextprotocol/node';
import { bearerAuthChallengeResponse, createMcpHandler, McpServer, OAuthError, OAuthErrorCode, verifyBearerToken, type AuthInfo, type OAuthTokenVerifier } from '@modelcontextprotocol/server';
import type { JWTPayload } from 'jose';
import { announce, exitOnSignal, freePort } from './child.js';
import { audienceFor, secretFromEnv, verifyToken } from './jwt.js';
import { parseAuth, type AuthKind } from './modes.js';
import { accessTokenCheckFromEnv, verifyAccessToken } from './oauth-token.js';
import { benchTools } from './tools.js';

/**
 * The peer: the same 25 tools served with the official MCP TypeScript SDK v2
 * as its documentation recommends for plain `node:http` — a per-request
 * `McpServer` factory behind `createMcpHandler`, adapted with `toNodeHandler`,
 * with the localhost Host/Origin guards in front and the SDK's own bearer
 * helper (`verifyBearerToken`) checking every request's JWT with jose.
 *
 * With `--auth oauth` (the default) it is a resource server of the Gatehouse
 * authorization server the runner signed in to: it accepts that server's
 * ES256 `at+jwt` access tokens, checked against its public JWKS, issuer and
 * audience (handed over through the environment). With `--auth jwt` it
 * checks the runner's HS256 tokens with the shared secret.
 */

/** One verification per request, as the SDK's seam is called; no cache, because the SDK has none. */
function verifierFor(auth: AuthKind, port: number): (token: string) => Promise<JWTPayload> {
  switch (auth) {
    case 'oauth': {
      const check = accessTokenCheckFromEnv();
      return (token) => verifyAccessToken(token, check);
    }
    case 'jwt': {
      const audience = audienceFor(port);
      const secret = new TextEncoder().encode(secretFromEnv());
      return (token) => verifyToken(token, secret, audience);
    }
  }
}

const { values } = parseArgs({ options: { auth: { type: 'string' } } });
const port = await freePort();
const verify = verifierFor(parseAuth(values.auth), port);

/** The SDK's verifier seam, implemented with jose (the same checks as Gatehouse's). */
const verifier: OAuthTokenVerifier = {
  async verifyAccessToken(token: string): Promise<AuthInfo> {
    try {
      const payload = await verify(token);
      return {
        token,
        clientId: typeof payload.client_id === 'string' ? payload.client_id : String(payload.sub ?? ''),
        scopes: typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [],
        ...(typeof payload.exp === 'number' ? { expiresAt: payload.exp } : {}),
      };
    } catch (err) {
      throw new OAuthError(OAuthErrorCode.InvalidToken, err instanceof Error ? err.message : 'invalid token');
    }
  },
};

/** One fresh server per request, which is the SDK's serving model for the stateless 2026-07-28 revision. */
function buildServer(): McpServer {
  const server = new McpServer({ name: 'sdk-bench', version: '1.0.0' });
  for (const t of benchTools) {
    server.registerTool(t.name, { description: t.description, inputSchema: t.input }, (args) => {
      const out = t.handler(args);
      // The same encoding Gatehouse gives a plain-object return: JSON text plus structuredContent.
      return { content: [{ type: 'text', text: JSON.stringify(out) }], structuredContent: out };
    });
  }
  return server;
}

const handler = createMcpHandler(buildServer);
const serveMcp = toNodeHandler(handler);
const validateHost = localhostHostValidation();
const validateOrigin = localhostOriginValidation();

/** Writes a web `Response` (the bearer helper's 401) to a Node response. */
async function sendResponse(res: ServerResponse, response: Response): Promise<void> {
  res.writeHead(response.status, Object.fromEntries(response.headers));
  res.end(Buffer.from(await response.arrayBuffer()));
}

async function onRequest(req: IncomingMessage & { auth?: AuthInfo }, res: ServerResponse): Promise<void> {
  if (!validateHost(req, res) || !validateOrigin(req, res)) return;
  if (new URL(req.url ?? '/', 'http://localhost').pathname !== '/mcp') {
    res.writeHead(404).end();
    return;
  }
  try {
    req.auth = await verifyBearerToken(req.headers.authorization, { verifier });
  } catch (err) {
    await sendResponse(res, bearerAuthChallengeResponse(err));
    return;
  }
  await serveMcp(req, res);
}

const httpServer = createServer((req, res) => {
  onRequest(req, res).catch((err: unknown) => {
    process.stderr.write(`sdk peer: ${err instanceof Error ? err.stack : String(err)}\n`);
    if (!res.headersSent) res.writeHead(500);
    res.end();
  });
});
await new Promise<void>((resolve) => httpServer.listen(port, '127.0.0.1', resolve));
exitOnSignal(async () => {
  await handler.close();
  await new Promise<void>((resolve) => httpServer.close(() => resolve()));
});
announce(port);
