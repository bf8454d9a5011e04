import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMailroom, MAILROOM_PLANS } from '../../examples/demo/mailroom.js';
import { createGatehouse, createLogger, type Gatehouse } from '../../src/index.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { send } from '../helpers/harness.js';
import { DEMO_AUTH } from './harness.js';
import { ACME, NOW } from './fixtures.js';

/**
 * Every error of the seed's error reference (seed 002), produced against the
 * Mailroom demo the way a client meets it: HTTP, a bearer token, tools/call.
 */
const SECRET = new TextEncoder().encode('demo-tests-secret-that-is-at-least-32-bytes');
async function token(claims: { scope: string; role: string; org?: string; expiresIn?: string; jti: string }): Promise<string> {
  return new SignJWT({ scope: claims.scope, role: claims.role, ...(claims.org === undefined ? {} : { org_id: claims.org }) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('usr_test')
    .setIssuer(DEMO_AUTH.issuer)
    .setAudience('http://localhost:8787/mcp')
    .setJti(claims.jti)
    .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
    .setExpirationTime(claims.expiresIn ?? '5m')
    .sign(SECRET);
}

let database: Database;
let gatehouse: Gatehouse;
let outage = false;
let owner: string;
beforeAll(async () => {
  database = openDatabase({ kind: 'sqlite', file: ':memory:' });
  const mailroom = await createMailroom(database, { now: () => NOW, crmOutage: () => outage });
  gatehouse = await createGatehouse({ name: 'mailroom', version: '1.0.0', auth: DEMO_AUTH, store: { kind: 'sqlite', file: ':memory:' }, logger: createLogger({ level: 'silent' }), plans: MAILROOM_PLANS, ...mailroom });
  await gatehouse.auth.directory.createOrganization({ id: ACME, slug: 'acme', name: 'Acme', plan: 'growth' });
  owner = await token({ scope: 'mcp:read mcp:write mcp:admin mcp:read_pii', role: 'owner', org: ACME, jti: 'seed-owner' });
}, 60_000);
afterAll(async () => {
  await gatehouse.close();
  await database.close();
});

async function call(bearer: string | undefined, name: string, args: Record<string, unknown> = {}) {
  const r = await send(gatehouse, {
    headers: { 'mcp-protocol-version': '2025-11-25', ...(bearer === undefined ? {} : { authorization: `Bearer ${bearer}` }) },
    body: { jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name, arguments: args } },
  });
  return { status: r.status, json: r.json, out: r.json?.result?.structuredContent };
}

describe('seed 002 error reference against the Mailroom demo', () => {
  it('B-ERR-02 and B-AUTH-01: auth_required and token_expired at the transport (HTTP 401)', async () => {
    expect((await call(undefined, 'list_campaigns')).json).toMatchObject({ code: 'auth_required' });
    const expired = await token({ scope: 'mcp:read', role: 'viewer', org: ACME, expiresIn: '-1m', jti: 'seed-expired' });
    const r = await call(expired, 'list_campaigns');
    expect(r.status).toBe(401);
    expect(r.json).toMatchObject({ code: 'token_expired' });
  });

  it('B-POL-05 insufficient_scope, forbidden and writeback_disabled from push_conversions', async () => {
    const viewer = await token({ scope: 'mcp:read', role: 'viewer', org: ACME, jti: 'seed-viewer' });
    expect((await call(viewer, 'push_conversions', { from: '2025-10-01', to: '2025-11-19' })).out).toMatchObject({ code: 'insufficient_scope', required_scope: 'mcp:write' });
    const member = await token({ scope: 'mcp:read mcp:write', role: 'member', org: ACME, jti: 'seed-member' });
    expect((await call(member, 'push_conversions', { from: '2025-10-01', to: '2025-11-19' })).out).toMatchObject({ code: 'forbidden', required_role: 'admin' });
    expect((await call(owner, 'push_conversions', { from: '2025-10-01', to: '2025-11-19' })).out).toMatchObject({ code: 'writeback_disabled' });
    await gatehouse.settings.set(ACME, { writeback: true });
    expect((await call(owner, 'push_conversions', { from: '2025-10-01', to: '2025-11-19' })).out).toMatchObject({ destination: 'Meta Conversions API' });
  });

  it('B-POL-06 connector_required and connector_expired from sync_crm_contacts', async () => {
    expect((await call(owner, 'sync_crm_contacts')).out).toMatchObject({ code: 'connector_required', connector: 'crm' });
    await gatehouse.connectors.connect(ACME, 'crm', { expiresAt: Date.now() - 1000 });
    expect((await call(owner, 'sync_crm_contacts')).out).toMatchObject({ code: 'connector_expired', connector: 'crm' });
    await gatehouse.connectors.connect(ACME, 'crm');
    expect((await call(owner, 'sync_crm_contacts')).out).toEqual({ imported: 5, skipped: 0 });
  });

  it('B-ERR-06 and B-POL-04: internal_error, then circuit_open after three CRM failures', async () => {
    outage = true;
    for (let i = 0; i < 3; i++) expect((await call(owner, 'sync_crm_contacts')).out).toMatchObject({ code: 'internal_error', retryable: true });
    expect((await call(owner, 'sync_crm_contacts')).out).toMatchObject({ code: 'circuit_open', retryable: true, retry_after: 300, connector: 'crm' });
    outage = false;
  });

  it('B-POL-01 and B-POL-03: confirmation_required, then one send per idempotency key, idempotency_conflict on reuse', async () => {
    const campaigns = (await call(owner, 'list_campaigns', { status: 'draft' })).out.items as { id: string; segment_id: string | null }[];
    const draft = campaigns.find((c) => c.segment_id !== null);
    expect(draft).toBeDefined();
    const id = draft?.id as string;
    expect((await call(owner, 'send_campaign', { campaign_id: id, idempotency_key: 'send-1' })).out).toMatchObject({ code: 'confirmation_required' });
    const first = await call(owner, 'send_campaign', { campaign_id: id, idempotency_key: 'send-1', confirm: true });
    expect(first.out).toMatchObject({ id, status: 'sent' });
    const again = await call(owner, 'send_campaign', { campaign_id: id, idempotency_key: 'send-1', confirm: true });
    expect(again.out).toEqual(first.out);
    const other = campaigns.find((c) => c.id !== id)?.id as string;
    expect((await call(owner, 'send_campaign', { campaign_id: other, idempotency_key: 'send-1', confirm: true })).out).toMatchObject({ code: 'idempotency_conflict' });
  });

  it('B-POL-08 and B-POL-09: masked PII by default, invalid_input names the field, data_unavailable names the range, meta.data_as_of on reports', async () => {
    const page = (await call(owner, 'list_subscribers', { limit: 3 })).out;
    expect(page.items[0].email).toMatch(/^.\*\*\*@/);
    expect((await call(owner, 'get_subscriber_growth', { from: '2025-11-10', to: '2025-11-01' })).out).toMatchObject({ code: 'invalid_input', field: expect.any(String) });
    expect((await call(owner, 'get_subscriber_growth', { from: '2020-01-01', to: '2020-01-31' })).out).toMatchObject({ code: 'data_unavailable', available_from: expect.any(String) });
    expect((await call(owner, 'get_account_overview')).out.meta.data_as_of).toEqual(expect.any(String));
  });

  it('B-POL-02 rate_limited: HTTP 429 with Retry-After past the Growth plan’s 120 requests a minute', async () => {
    const key = await token({ scope: 'mcp:read', role: 'viewer', org: ACME, jti: 'seed-rate' });
    let last = await call(key, 'get_organization');
    for (let i = 0; i < 120 && last.status === 200; i++) last = await call(key, 'get_organization');
    expect(last.status).toBe(429);
    expect(last.json).toMatchObject({ code: 'rate_limited', retryable: true, retry_after: expect.any(Number) });
  });
});
