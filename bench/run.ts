import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { planAuth, type AuthPlan, type ChildAuth } from './auth-setup.js';
import { cpuWindow, waitForQuiet, type CpuWindow } from './cpu.js';
import { assertClean, runLoad, type LoadResult } from './load.js';
import { parseAuth, parseMode, type AuthKind, type Mode } from './modes.js';
import type { IssuedToken } from './oauth-token.js';
import { formatProfile, newestProfile, summarizeProfile } from './profile.js';
import { describeMachine, formatMarkdown, formatTable, SERVER_LABEL, type CaseResult, type ServerName } from './report.js';
import { CASES, PROTOCOL_REVISION, requestFor, verifyCase, type CaseName } from './requests.js';
import { sampleMemory, startServer } from './spawn.js';
import { benchCall, benchTools } from './tools.js';

/**
 * `npm run bench`: Gatehouse vs the official SDK v2, same tools, same auth,
 * same load, in one run. Each (case, server, round) gets a fresh child process
 * and the machine to itself, one after the other. With `--auth oauth` (the
 * default) each round starts Gatehouse with its authorization server, signs
 * in to it for a real access token, measures it, stops it, then measures the
 * peer verifying that same token against that server's JWKS.
 */

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');

interface Cli {
  readonly mode: Mode;
  readonly auth: AuthKind;
  readonly durationSec: number;
  readonly warmupSec: number;
  readonly connections: number;
  readonly out: string | undefined;
  readonly profile: boolean;
  readonly quietTimeoutSec: number;
  readonly attempts: number;
  /** Fresh-process measurements per (case, server); the median is reported. */
  readonly rounds: number;
}

/** A measured window where other processes used more than this many cores is retried. */
const NOISY_CORES = 0.15;

/** Other work on a 2-core machine skews a run more than anything we measure: wait it out, and say so if we could not. */
async function quiet(cli: Cli): Promise<void> {
  if (cli.quietTimeoutSec === 0) return;
  const busy = await waitForQuiet(10, cli.quietTimeoutSec);
  if (busy >= 10) process.stdout.write(`  warning: machine still ${busy.toFixed(0)}% busy after ${cli.quietTimeoutSec} s; measuring anyway\n`);
}

function positiveInt(flag: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${flag} must be a positive integer, got "${raw}"`);
  return n;
}

function parseCli(argv: readonly string[]): Cli {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      mode: { type: 'string' },
      auth: { type: 'string' },
      duration: { type: 'string' },
      warmup: { type: 'string' },
      connections: { type: 'string' },
      out: { type: 'string' },
      'no-write': { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      'quiet-timeout': { type: 'string' },
      attempts: { type: 'string' },
      rounds: { type: 'string' },
    },
    strict: true,
  });
  return {
    mode: parseMode(values.mode),
    auth: parseAuth(values.auth),
    durationSec: positiveInt('duration', values.duration, 10),
    warmupSec: positiveInt('warmup', values.warmup, 3),
    connections: positiveInt('connections', values.connections, 32),
    out: values['no-write'] ? undefined : resolve(root, values.out ?? 'docs/benchmarks.md'),
    profile: values.profile,
    quietTimeoutSec: values['quiet-timeout'] === '0' ? 0 : positiveInt('quiet-timeout', values['quiet-timeout'], 60),
    attempts: positiveInt('attempts', values.attempts, 3),
    rounds: positiveInt('rounds', values.rounds, 1),
  };
}

const SCRIPTS: Readonly<Record<ServerName, string>> = {
  gatehouse: join(here, 'gatehouse-server.js'),
  sdk: join(here, 'sdk-server.js'),
};

/** One measurement; `issued` is what Gatehouse's authorization server issued for this round (`--auth oauth`), for the peer. */
async function measure(cli: Cli, auth: ChildAuth, name: CaseName, server: ServerName, profileDir: string | undefined): Promise<{ result: CaseResult; issued: IssuedToken | undefined }> {
  const label = SERVER_LABEL[server];
  const profiling = profileDir !== undefined && server === 'gatehouse';
  const child = await startServer(label, {
    script: SCRIPTS[server],
    args: [...(server === 'gatehouse' ? ['--mode', cli.mode] : []), '--auth', cli.auth],
    nodeFlags: profiling ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
    env: auth.env,
  });
  try {
    const url = `http://127.0.0.1:${child.port}/mcp`;
    const { token, refused, issued } = await auth.credentials(child.port);
    const verified = await verifyCase(label, url, name, token, refused);
    const request = requestFor(name, token);
    const expectBody = verified.deterministic ? verified.body : undefined;
    const load = (durationSec: number) => runLoad({ url, request, connections: cli.connections, durationSec, ...(expectBody === undefined ? {} : { expectBody }) });
    process.stdout.write(`${label} ${name}: verified (${issued === undefined ? '' : 'access token from the OAuth flow; '}no token and ${refused.length} bad token${refused.length === 1 ? '' : 's'} refused); warming up ${cli.warmupSec} s, measuring ${cli.durationSec} s…\n`);
    const memory = sampleMemory(child.pid);
    await quiet(cli);
    assertClean(`${label} ${name} warm-up`, await load(cli.warmupSec));
    let best: { load: LoadResult; cpu: CpuWindow } | undefined;
    for (let attempt = 1; attempt <= cli.attempts; attempt++) {
      if (attempt > 1) await quiet(cli);
      const cpu = cpuWindow(child.pid);
      const result = await load(cli.durationSec);
      const used = cpu.stop();
      assertClean(`${label} ${name}`, result);
      if (best === undefined || used.otherCores < best.cpu.otherCores) best = { load: result, cpu: used };
      if (used.otherCores <= NOISY_CORES) break;
      // Another process took CPU during the window: the numbers say more about it than about the server.
      process.stdout.write(`  other processes used ${used.otherCores.toFixed(2)} cores during the window${attempt < cli.attempts ? '; measuring again' : '; keeping the quietest attempt'}\n`);
    }
    const peak = memory.stop();
    const { load: measured, cpu: cpuUsed } = best as { load: LoadResult; cpu: CpuWindow };
    return { result: { case: name, server, load: measured, memory: peak, cpu: cpuUsed, bodyChecked: expectBody !== undefined }, issued };
  } finally {
    await child.stop();
    if (profiling) {
      const file = newestProfile(profileDir);
      if (file !== undefined) process.stdout.write(`\n${label} ${name}\n${formatProfile(summarizeProfile(file, root))}\n\n`);
    }
  }
}

function medianRound(rounds: readonly CaseResult[]): CaseResult {
  const sorted = [...rounds].sort((a, b) => a.load.reqPerSec - b.load.reqPerSec);
  return sorted[Math.floor((sorted.length - 1) / 2)] as CaseResult;
}

async function main(): Promise<void> {
  let cli: Cli;
  try {
    cli = parseCli(process.argv.slice(2));
  } catch (err) {
    // A usage mistake gets its message, not a stack trace.
    process.stderr.write(`bench: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
    return;
  }
  const plan: AuthPlan = planAuth(cli.auth);
  const profileDir = cli.profile ? mkdtempSync(join(tmpdir(), 'gatehouse-prof-')) : undefined;
  const results: CaseResult[] = [];
  for (const name of CASES) {
    // A round is Gatehouse then the peer, so with --auth oauth the peer verifies the token (and trusts the JWKS) of the Gatehouse process that issued it.
    // The median round per server (by req/s) is reported whole, so its p50/p99/RSS stay consistent.
    const rounds: Record<ServerName, CaseResult[]> = { gatehouse: [], sdk: [] };
    for (let round = 1; round <= cli.rounds; round++) {
      let issued: IssuedToken | undefined;
      for (const server of ['gatehouse', 'sdk'] as const) {
        const measured = await measure(cli, server === 'gatehouse' ? plan.gatehouse() : plan.peer(issued), name, server, profileDir);
        issued ??= measured.issued;
        const { result } = measured;
        if (cli.rounds > 1) process.stdout.write(`  round ${round}/${cli.rounds}: ${Math.round(result.load.reqPerSec)} req/s, p99 ${result.load.p99Ms.toFixed(2)} ms\n`);
        rounds[server].push(result);
      }
    }
    results.push(medianRound(rounds.gatehouse), medianRound(rounds.sdk));
  }
  process.stdout.write(`\n${formatTable(results)}\n`);
  if (profileDir !== undefined) process.stdout.write(`CPU profiles kept in ${profileDir}\n`);
  if (cli.out !== undefined) {
    const markdown = formatMarkdown(
      results,
      { command: ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '), rounds: cli.rounds, mode: cli.mode, auth: cli.auth, connections: cli.connections, durationSec: cli.durationSec, warmupSec: cli.warmupSec, revision: PROTOCOL_REVISION, toolCount: benchTools.length, callTool: benchCall.name },
      describeMachine(root),
      new Date(),
    );
    mkdirSync(dirname(cli.out), { recursive: true });
    writeFileSync(cli.out, markdown);
    process.stdout.write(`wrote ${cli.out}\n`);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
