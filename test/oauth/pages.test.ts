import { createRequire } from 'node:module';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, screenshot } from '../helpers/browser.js';
import { pkce } from '../helpers/oauth-flow.js';
import { PASSWORD, startOAuthServer, type OAuthTestServer } from '../helpers/oauth-server.js';

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const REDIRECT = 'http://127.0.0.1:9/callback';

let server: OAuthTestServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startOAuthServer({ lockout: { maxFailures: 2, lockSeconds: 300 } }), launchBrowser()]);
});
afterAll(async () => {
  await Promise.all([server.close(), browser.close()]);
});

/** A fresh browser (no sign-in session) at phone width. Our CSP forbids inline scripts, so the audit script needs it bypassed; the pages are unchanged. */
async function newPage(): Promise<Page> {
  const context: BrowserContext = await browser.newContext({ bypassCSP: true, viewport: { width: 390, height: 844 } });
  return context.newPage();
}

/** WCAG 2.1 A/AA violations axe-core finds on the page. */
async function audit(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(o: unknown): Promise<{ violations: { id: string; nodes: { target: string[] }[] }[] }> } }).axe;
    return axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
  });
  return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function openAuthorization(clientName: string): Promise<Page> {
  const reg = await fetch(`${server.base}/oauth/register`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_name: clientName, redirect_uris: [REDIRECT] }) });
  const { client_id } = (await reg.json()) as { client_id: string };
  const page = await newPage();
  await page.goto(`${server.base}/oauth/authorize?${new URLSearchParams({ response_type: 'code', client_id, redirect_uri: REDIRECT, code_challenge: pkce().challenge, code_challenge_method: 'S256', state: 'x' })}`);
  return page;
}

async function signIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForLoadState();
}

describe('sign-in and consent pages', () => {
  it('B-AUTH-04: the sign-in page names the client and where it returns to, and passes an accessibility audit', async () => {
    const page = await openAuthorization('Claude <script>alert(1)</script>');
    expect(await page.title()).toBe('Sign in · Acme MCP');
    expect(await page.locator('.lead').textContent()).toBe('Claude <script>alert(1)</script> wants to connect to your Acme MCP account.');
    expect(await page.locator('.meta').textContent()).toContain('127.0.0.1:9');
    await screenshot(page, 'page-sign-in');
    expect(await audit(page)).toEqual([]);
    await page.close();
  });

  it('B-AUTH-04: a wrong password shows an error tied to the field, keeps the email, and the page stays accessible', async () => {
    const page = await openAuthorization('Cursor');
    await signIn(page, 'bob@example.com', 'not the password');
    const alert = page.getByRole('alert');
    expect(await alert.textContent()).toBe('That email and password do not match an account.');
    expect(await page.getByLabel('Email').inputValue()).toBe('bob@example.com');
    expect(await page.getByLabel('Email').getAttribute('aria-describedby')).toBe('sign-in-error');
    await screenshot(page, 'page-sign-in-error');
    expect(await audit(page)).toEqual([]);
    await page.close();
  });

  it('B-AUTH-04: consent shows the client, the scopes in plain words and an organization picker, and passes the audit', async () => {
    const page = await openAuthorization('Claude');
    await signIn(page, 'alice@example.com');
    expect(await page.locator('h1').textContent()).toBe('Allow Claude to use Acme MCP?');
    expect(await page.locator('legend').textContent()).toBe('Connect which organization?');
    expect(await page.getByLabel(/Acme Outfitters/).isChecked()).toBe(true);
    expect(await page.locator('label', { hasText: 'Globex' }).textContent()).toBe('Globex Corporation — you are a viewer');
    const scopes = await page.locator('.scopes li').allTextContents();
    expect(scopes).toEqual(['Read your organization’s data mcp:read', 'Create and change your organization’s data mcp:write', 'Manage your organization’s settings and members mcp:admin', 'See personal data such as email addresses, when your organization allows it mcp:read_pii']);
    expect(await page.locator('.meta').textContent()).toContain('127.0.0.1:9');
    await screenshot(page, 'page-consent');
    expect(await audit(page)).toEqual([]);
    await page.close();
  });

  it('B-AUTH-04: a user in one organization sees it named, without a picker', async () => {
    const page = await openAuthorization('n8n');
    await signIn(page, 'bob@example.com');
    expect(await page.locator('fieldset').count()).toBe(0);
    expect(await page.locator('form p').first().textContent()).toBe('Organization: Acme Outfitters (you are a member)');
    expect(await page.locator('.scopes li').count()).toBe(2);
    await page.close();
  });

  it('B-AUTH-04: the "No pending authorization" and lockout pages are clear and accessible', async () => {
    const page = await newPage();
    const res = await page.goto(`${server.base}/oauth/interaction/gone`);
    expect(res?.status()).toBe(400);
    expect(await page.locator('h1').textContent()).toBe('No pending authorization');
    await screenshot(page, 'page-no-pending');
    expect(await audit(page)).toEqual([]);

    const locked = await openAuthorization('Cursor');
    await signIn(locked, 'bob@example.com', 'wrong-1');
    await signIn(locked, 'bob@example.com', 'wrong-2');
    expect(await locked.getByRole('alert').textContent()).toBe('Too many failed attempts: this account is locked for 5 minutes.');
    expect(await audit(locked)).toEqual([]);
    await Promise.all([page.close(), locked.close()]);
  });
});
