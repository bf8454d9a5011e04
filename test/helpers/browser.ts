import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium (installed by .ci/run); override with CHROMIUM_PATH. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = new URL('../../test-results/screenshots/', import.meta.url).pathname;

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** Keeps a screenshot of the page as a test artifact. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}${name}.png`, fullPage: true });
}

/**
 * Plays the user: signs in on Gatehouse's page, picks the organization on the
 * consent page and approves (or denies), then waits for the client's callback.
 */
export async function signInAndConsent(
  page: Page,
  authorizationUrl: string,
  o: { email: string; password: string; organization?: string; decision?: 'approve' | 'deny'; shots?: string; callback?: RegExp },
): Promise<void> {
  await page.goto(authorizationUrl);
  await page.getByLabel('Email').fill(o.email);
  await page.getByLabel('Password').fill(o.password);
  if (o.shots !== undefined) await screenshot(page, `${o.shots}-sign-in`);
  await Promise.all([page.waitForURL(/\/oauth\/interaction\//), page.getByRole('button', { name: 'Sign in' }).click()]);
  await page.getByRole('button', { name: 'Approve' }).waitFor();
  if (o.organization !== undefined) await page.getByLabel(new RegExp(o.organization)).check();
  if (o.shots !== undefined) await screenshot(page, `${o.shots}-consent`);
  const button = o.decision === 'deny' ? 'Deny' : 'Approve';
  await Promise.all([page.waitForURL(o.callback ?? /\/callback\?/), page.getByRole('button', { name: button }).click()]);
}
