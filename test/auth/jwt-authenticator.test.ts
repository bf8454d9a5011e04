import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { send, startServer, type TestServer } from '../helpers/harness.js';
import { testTools } from '../helpers/test-tools.js';

const SECRET = 'test-secret-that-is-at-least-32-bytes-long!';
const ISSUER = 'https://issuer.example';
const AUDIENCE = 'http://localhost:8787/mcp';
const key = new TextEncoder().encode(SECRET);

function token(claims: Record<string, unknown> = {}, options: { exp?: number | string; aud?: string; iss?: string; secret?: Uint8Array } = {}) {
  return new SignJWT({ scope: 'mcp:tools', org_id: 'org_acme', ...claims })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('user_1')
    .setIssuer(options.iss ?? ISSUER)
    .setAudience(options.aud ?? AUDIENCE)
    .setIssuedAt()
    .setJti(crypto.randomUUID())
    .setExpirationTime(options.exp ?? '5m')
    .sign(options.secret ?? key);
}

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ tools: testTools, auth: { kind: 'jwt', secret: SECRET, issuer: ISSUER, clockToleranceSec: 30 } });
});
afterAll(() => server.close());

const call = (authorization?: string) =>
  send(server.gatehouse, {
    headers: authorization === undefined ? {} : { authorization },
    body: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'echo', arguments: { text: 'hi' } } },
  });

describe('bearer JWT verification on /mcp', () => {
  it('B-AUTH-01: no token is 401 with a Bearer challenge, before any JSON-RPC processing', async () => {
    const r = await send(server.gatehouse, { raw: 'not even json' });
    expect(r.status).toBe(401);
    expect(r.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(r.json).toMatchObject({ code: 'auth_required' });
  });

  it('B-AUTH-06: a valid token for this resource is accepted', async () => {
    const r = await call(`Bearer ${await token()}`);
    expect(r.status).toBe(200);
    expect(r.json.result.structuredContent).toEqual({ text: 'hi' });
  });

  it('B-AUTH-07: a token for another audience is 401 invalid_token with the standard body', async () => {
    const r = await call(`Bearer ${await token({}, { aud: 'https://other.example/mcp' })}`);
    expect(r.status).toBe(401);
    expect(r.json).toMatchObject({ error: 'invalid_token', error_description: 'Invalid or expired access token', code: 'invalid_token' });
    expect(r.headers.get('www-authenticate')).toContain('error="invalid_token"');
  });

  it('B-AUTH-07: a forged signature or another issuer is 401 invalid_token', async () => {
    for (const t of [await token({}, { secret: new TextEncoder().encode('x'.repeat(40)) }), await token({}, { iss: 'https://evil.example' }), 'garbage']) {
      const r = await call(`Bearer ${t}`);
      expect(r.status).toBe(401);
      expect(r.json.code).toBe('invalid_token');
    }
  });

  it('B-AUTH-07: an expired token is told apart as token_expired', async () => {
    const r = await call(`Bearer ${await token({}, { exp: Math.floor(Date.now() / 1000) - 120 })}`);
    expect(r.status).toBe(401);
    expect(r.json).toMatchObject({ error: 'invalid_token', code: 'token_expired' });
  });

  it('B-AUTH-12: a token that expired within the clock-skew leeway is still accepted', async () => {
    const r = await call(`Bearer ${await token({}, { exp: Math.floor(Date.now() / 1000) - 10 })}`);
    expect(r.status).toBe(200);
  });

  it('B-AUTH-01: a non-Bearer scheme is 401 auth_required', async () => {
    const r = await call('Basic dXNlcjpwYXNz');
    expect(r.status).toBe(401);
    expect(r.json.code).toBe('auth_required');
  });

  it('B-AUTH-06: the principal reaches the handler from the verified claims', async () => {
    const probe = await startServer({
      auth: { kind: 'jwt', secret: SECRET, issuer: ISSUER },
      tools: [
        (await import('../../src/index.js')).defineTool({
          name: 'who',
          description: 'Who am I',
          handler: (_input, ctx) => ({ user: ctx.principal.userId, org: ctx.organization?.id, scopes: [...ctx.principal.scopes] }),
        }),
      ],
    });
    const r = await send(probe.gatehouse, {
      headers: { authorization: `Bearer ${await token()}` },
      body: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'who', arguments: {} } },
    });
    expect(r.json.result.structuredContent).toEqual({ user: 'user_1', org: 'org_acme', scopes: ['mcp:tools'] });
    await probe.close();
  });
});
