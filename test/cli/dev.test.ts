import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { authorize, tokenRequest } from '../helpers/oauth-flow.js';
import { mcpCall, startDev, type DevServer } from './cli-process.js';

const REDIRECT = 'http://127.0.0.1:9/cb';

function accountOf(banner: string): { email: string; password: string } {
  const email = /email\s+(\S+@\S+)/.exec(banner)?.[1];
  const password = /password\s+(\S+)/.exec(banner)?.[1];
  if (email === undefined || password === undefined) throw new Error(`no demo account in: ${banner}`);
  return { email, password };
}

describe('gatehouse dev with the built-in authorization server', () => {
  const data = mkdtempSync(join(tmpdir(), 'gatehouse-dev-oauth-'));
  let server: DevServer | undefined;
  afterAll(async () => server?.stop());

  it('B-AUTH-01: dev requires authorization by default: /mcp without a token is 401 with resource_metadata', async () => {
    server = await startDev(data);
    expect(server.base).toMatch(/^http:\/\/localhost:\d+$/);
    const res = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: '{"jsonrpc":"2.0","id":1,"method":"tools/list"}' });
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toContain(`resource_metadata="${server.base}/.well-known/oauth-protected-resource/mcp"`);
    const get = await fetch(server.url);
    expect(get.status).toBe(401);
    expect(get.headers.get('www-authenticate')).toContain('resource_metadata=');
  });

  it('B-AUTH-04: dev prints a demo account (password kept owner-only) that signs in and consents, and the token calls tools', async () => {
    const banner = server!.stderr();
    const account = accountOf(banner);
    expect(account.email).toBe('demo@mailroom.example');
    expect(account.password.length).toBeGreaterThanOrEqual(12);
    expect(banner).toContain(`claude mcp add --transport http mailroom ${server!.url}`);
    expect(banner).toContain('@modelcontextprotocol/inspector');
    expect(banner).toMatch(/admin key create --email demo@mailroom\.example --org acme --data /);
    const file = join(data, 'demo-account.txt');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain(`password: ${account.password}`);

    const a = await authorize(server!.base, { ...account, redirectUri: REDIRECT, organization: 'org_acme' });
    const token = await tokenRequest(server!.base, { grant_type: 'authorization_code', code: a.code, client_id: a.clientId, code_verifier: a.verifier, redirect_uri: REDIRECT });
    expect(token.status).toBe(200);
    const list = await mcpCall(server!.url, 'tools/list', undefined, token.body.access_token as string);
    expect(list.status).toBe(200);
    expect(list.body.result.tools.length).toBeGreaterThanOrEqual(20);
    const org = await mcpCall(server!.url, 'tools/call', { name: 'get_organization', arguments: {} }, token.body.access_token as string);
    expect(org.body.result.structuredContent).toMatchObject({ id: 'org_acme', name: 'Acme Outfitters' });
  });

  it('B-AUTH-04: the demo account owns both demo organizations, and a restart keeps the same password', async () => {
    const before = accountOf(server!.stderr());
    // The consent page offers both organizations: sign in to Globex this time.
    const a = await authorize(server!.base, { ...before, redirectUri: REDIRECT, organization: 'org_globex' });
    const token = await tokenRequest(server!.base, { grant_type: 'authorization_code', code: a.code, client_id: a.clientId, code_verifier: a.verifier, redirect_uri: REDIRECT });
    const org = await mcpCall(server!.url, 'tools/call', { name: 'get_organization', arguments: {} }, token.body.access_token as string);
    expect(org.body.result.structuredContent).toMatchObject({ id: 'org_globex', name: 'Globex Corporation' });

    await server!.stop();
    server = await startDev(data);
    expect(accountOf(server.stderr())).toEqual(before);
    const again = await authorize(server.base, { ...before, redirectUri: REDIRECT });
    expect(again.code).toEqual(expect.any(String));
  }, 40_000);

  it('B-PLAN-01/B-TEN-02: the demo seeds a free-plan organization and a user of every role, so the errors show from a real sign-in', async () => {
    const { password } = accountOf(server!.stderr());
    expect(server!.stderr()).toContain('viewer@mailroom.example (viewer)');
    const tokenOf = async (email: string, organization?: string) => {
      const a = await authorize(server!.base, { email, password, redirectUri: REDIRECT, ...(organization === undefined ? {} : { organization }) });
      const t = await tokenRequest(server!.base, { grant_type: 'authorization_code', code: a.code, client_id: a.clientId, code_verifier: a.verifier, redirect_uri: REDIRECT });
      return t.body.access_token as string;
    };
    const names = async (token: string) => ((await mcpCall(server!.url, 'tools/list', {}, token)).body.result.tools as { name: string }[]).map((t) => t.name);
    const viewer = await names(await tokenOf('viewer@mailroom.example'));
    const member = await names(await tokenOf('member@mailroom.example'));
    expect(viewer).toContain('list_subscribers');
    expect(viewer).not.toContain('add_subscriber');
    expect(member).toContain('add_subscriber');
    expect(member).not.toContain('update_organization');
    const admin = await tokenOf('admin@mailroom.example');
    const refused = await mcpCall(server!.url, 'tools/call', { name: 'update_organization', arguments: { timezone: 'UTC' } }, admin);
    expect(refused.body.result.structuredContent).toMatchObject({ code: 'forbidden', required_role: 'owner' });

    const initech = await authorize(server!.base, { email: 'demo@mailroom.example', password, redirectUri: REDIRECT, organization: 'org_initech' }).catch((e: Error) => e.message);
    expect(initech).toContain('error=plan_required');
  }, 40_000);
});
