import { readFileSync } from 'node:fs';
import { cpus, release, totalmem } from 'node:os';
import { join } from 'node:path';
import type { CpuWindow } from './cpu.js';
import type { LoadResult } from './load.js';
import type { AuthKind } from './modes.js';
import type { CaseName } from './requests.js';
import type { MemorySample } from './spawn.js';

/** Turns measurements into the stdout table and `docs/benchmarks.md`. */

export type ServerName = 'gatehouse' | 'sdk';
export const SERVER_LABEL: Readonly<Record<ServerName, string>> = { gatehouse: 'Gatehouse', sdk: 'Official SDK v2' };

export interface CaseResult {
  readonly case: CaseName;
  readonly server: ServerName;
  readonly load: LoadResult;
  readonly memory: MemorySample;
  readonly cpu: CpuWindow;
  /** Whether every measured response was compared byte for byte with the verified one. */
  readonly bodyChecked: boolean;
}

export interface RunSettings {
  /** The command line as run, recorded so the document says exactly how its numbers were made. */
  readonly command: string;
  readonly rounds: number;
  readonly mode: string;
  readonly auth: AuthKind;
  readonly connections: number;
  readonly durationSec: number;
  readonly warmupSec: number;
  readonly revision: string;
  readonly toolCount: number;
  readonly callTool: string;
}

export interface Machine {
  readonly cpu: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly node: string;
  readonly os: string;
  readonly packages: Readonly<Record<string, string>>;
}

function readOr(file: string, fallback: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

/** Describes the machine from /proc and os, plus the versions of what is being compared. */
export function describeMachine(root: string): Machine {
  const cpuinfo = readOr('/proc/cpuinfo', '');
  const cpu = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1]?.trim() ?? cpus()[0]?.model ?? 'unknown';
  const osName = /^PRETTY_NAME="?([^"\n]+)"?/m.exec(readOr('/etc/os-release', ''))?.[1] ?? process.platform;
  const version = (pkg: string) => (JSON.parse(readOr(join(root, 'node_modules', pkg, 'package.json'), '{}')) as { version?: string }).version ?? '?';
  const packages = Object.fromEntries(['@modelcontextprotocol/server', '@modelcontextprotocol/node', 'autocannon', 'jose', 'zod', 'hono', '@hono/node-server'].map((p) => [p, version(p)]));
  return {
    cpu,
    cores: cpus().length,
    memoryGiB: Math.round((totalmem() / 1024 ** 3) * 10) / 10,
    node: process.version,
    os: `${osName}, Linux ${release()} (${process.arch})`,
    packages,
  };
}

const mib = (bytes: number) => (bytes / 1024 ** 2).toFixed(0);
const ms = (v: number) => v.toFixed(2);
const rate = (v: number) => Math.round(v).toLocaleString('en-US');
const times = (v: number) => `${v.toFixed(v >= 10 ? 1 : 2)}×`;

export interface CaseRatio {
  readonly case: CaseName;
  readonly throughput: number;
  readonly p99: number;
  /** Peer CPU per request divided by Gatehouse's: how many times less CPU Gatehouse spends on one request. */
  readonly cpuEfficiency: number;
}

/** Gatehouse divided by peer, per case: above 1 is better for throughput, below 1 is better for p99. */
export function ratios(results: readonly CaseResult[]): CaseRatio[] {
  const out: CaseRatio[] = [];
  for (const name of new Set(results.map((r) => r.case))) {
    const g = results.find((r) => r.case === name && r.server === 'gatehouse');
    const s = results.find((r) => r.case === name && r.server === 'sdk');
    if (g !== undefined && s !== undefined) out.push({ case: name, throughput: g.load.reqPerSec / s.load.reqPerSec, p99: g.load.p99Ms / s.load.p99Ms, cpuEfficiency: cpuPerRequest(s) / cpuPerRequest(g) });
  }
  return out;
}

/** The issue's target: ≥ 10× the peer on authenticated tools/call, with p99 ≤ 10 ms. */
export function targetVerdict(results: readonly CaseResult[]): string {
  const g = results.find((r) => r.case === 'tools/call' && r.server === 'gatehouse');
  const ratio = ratios(results).find((r) => r.case === 'tools/call');
  if (g === undefined || ratio === undefined) return 'target not evaluated (tools/call not measured for both servers)';
  const fast = ratio.throughput >= 10;
  const tail = g.load.p99Ms <= 10;
  return `target (≥ 10× peer throughput on tools/call, p99 ≤ 10 ms): ${fast && tail ? 'MET' : 'NOT MET'} — ${times(ratio.throughput)} the peer's throughput (${fast ? 'ok' : 'short'}), p99 ${ms(g.load.p99Ms)} ms (${tail ? 'ok' : 'over'})`;
}

const HEAD = ['Case', 'Server', 'req/s (mean)', 'p50 ms', 'p99 ms', 'peak RSS MiB', 'requests', 'CPU µs/req', 'server CPU', 'other CPU'];
const cores = (v: number) => v.toFixed(2);

/** Server CPU time per request served, µs: the cost that sets throughput once a server has a core to itself. */
export function cpuPerRequest(r: CaseResult): number {
  return r.cpu.serverCpuUs / Math.max(1, r.load.totalRequests);
}

function rows(results: readonly CaseResult[]): string[][] {
  return results.map((r) => [r.case, SERVER_LABEL[r.server], rate(r.load.reqPerSec), ms(r.load.p50Ms), ms(r.load.p99Ms), mib(r.memory.hwmBytes), rate(r.load.totalRequests), cpuPerRequest(r).toFixed(0), cores(r.cpu.serverCores), cores(r.cpu.otherCores)]);
}

/** A plain aligned table for the terminal. */
export function formatTable(results: readonly CaseResult[]): string {
  const all = [HEAD, ...rows(results)];
  const widths = HEAD.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) => row.map((cell, i) => (i < 2 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
  const ratioLines = ratios(results).map((r) => `ratio Gatehouse/peer ${r.case}: throughput ${times(r.throughput)}, p99 ${times(r.p99)}; peer spends ${times(r.cpuEfficiency)} Gatehouse's CPU per request`);
  return [line(HEAD), widths.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map(line), '', ...ratioLines, targetVerdict(results)].join('\n');
}

/** The Method bullet on auth, true to the `--auth` the numbers were made with. */
export function describeAuth(auth: AuthKind): string {
  switch (auth) {
    case 'oauth':
      return [
        "- **Same auth, with Gatehouse's authorization server on** (`--auth oauth`, the default): Gatehouse runs with its built-in OAuth 2.1 authorization server, `auth: { kind: 'oauth', accessTokenTtl: 3600 }`, seeded with one organization and one member. Before measuring, the runner gets a real access token from it over HTTP, as an MCP client and its user would: dynamic client registration, `/oauth/authorize` with PKCE S256 and `resource=<publicUrl>/mcp`, the sign-in form, the consent form (Approve), and the code exchange at `/oauth/token`. That one token (ES256, `typ: at+jwt`, issuer the Gatehouse origin, audience `<publicUrl>/mcp`) is sent on every request to both servers.",
        "  - **Gatehouse** verifies it as it does in production: in process with jose against its own signing keys (ES256, issuer, audience, `typ`, 30 s clock tolerance), caching a verified token until it expires (its default) and checking on every request that the token's grant has not been revoked.",
        "  - **The peer** is a resource server of that same authorization server: it verifies the token on every request through the SDK's `OAuthTokenVerifier` seam with jose — ES256 signature against the authorization server's public JWKS (fetched by the runner from `/oauth/jwks` and handed to the peer), issuer, audience, `typ: at+jwt`, 30 s clock tolerance — because the SDK has no verification cache.",
        "  - Each round starts Gatehouse, signs in to it, measures it and stops it, then measures the peer with the token and JWKS of that same Gatehouse process. Before measuring, both servers are shown to refuse with 401 a request without a token, the issued token re-signed with a foreign ES256 key (same header, same claims), and an HS256 token with the right issuer and audience.",
      ].join('\n');
    case 'jwt':
      return "- **Same auth** (`--auth jwt`): a JWT bearer token minted by the runner, HS256 with a secret shared with both servers, verified with jose against the same issuer and audience (`<publicUrl>/mcp`). Gatehouse uses its built-in `auth: { kind: 'jwt' }` (an external issuer; its authorization server is off), which caches a verified token until it expires (its default); the peer verifies the signature on every request through the SDK's `OAuthTokenVerifier` seam, because the SDK has no such cache. Before measuring, both servers are shown to refuse a request without a token and a token for another audience with 401.";
  }
}

export function formatMarkdown(results: readonly CaseResult[], settings: RunSettings, machine: Machine, date: Date): string {
  const table = [`| ${HEAD.join(' | ')} |`, `|${HEAD.map((_, i) => (i < 2 ? ' --- ' : ' ---: ')).join('|')}|`, ...rows(results).map((r) => `| ${r.join(' | ')} |`)];
  const ratioTable = [
    '| Case | Throughput Gatehouse/peer (higher is better) | p99 Gatehouse/peer (lower is better) | CPU per request peer/Gatehouse (higher is better) |',
    '| --- | ---: | ---: | ---: |',
    ...ratios(results).map((r) => `| ${r.case} | ${times(r.throughput)} | ${times(r.p99)} | ${times(r.cpuEfficiency)} |`),
  ];
  const pkgs = Object.entries(machine.packages).map(([name, v]) => `${name} ${v}`).join(', ');
  const checked = results.every((r) => r.bodyChecked) ? 'every measured response was compared byte for byte with the verified one' : 'responses were checked for status (some bodies vary per request, so no byte comparison)';
  return `# Benchmarks: Gatehouse vs the official MCP SDK

Measured ${date.toISOString().slice(0, 10)} (${date.toISOString()}) with \`${settings.command}\`.

## Machine

- CPU: ${machine.cpu}, ${machine.cores} cores
- Memory: ${machine.memoryGiB} GiB
- Node: ${machine.node}
- OS: ${machine.os}
- Packages: ${pkgs}

## Method

- **Two servers, each its own child process on 127.0.0.1**, started by one run of \`npm run bench\`:
  - **Gatehouse** (\`bench/gatehouse-server.ts\`): \`createGatehouse\` with store \`{ kind: 'sqlite', file: ':memory:' }\` (mode \`${settings.mode}\`), logger level \`warn\`, \`publicUrl\` = the loopback URL it listens on.
  - **Official SDK v2 peer** (\`bench/sdk-server.ts\`), built the way the SDK documents for plain \`node:http\`: \`createMcpHandler\` with a per-request \`McpServer\` factory, wrapped with \`toNodeHandler\` from \`@modelcontextprotocol/node\`, behind the localhost Host/Origin guards, with the SDK's \`verifyBearerToken\` helper in front.
- **Same ${settings.toolCount} tools** on both (\`bench/tools.ts\`: name, description, zod input schema, pure handler returning a small JSON object), registered with \`defineTool\` and \`registerTool\` respectively, both answering with JSON text plus \`structuredContent\`. On Gatehouse every tool declares \`scope: 'mcp:read'\` and plans are configured (the organization on a paid plan), so the per-tool scope gate, the tenancy stage and the per-request plan check run on every call, as in a product. The whole tool policy pipeline is on (\`bench/gatehouse-server.ts\`): the per-credential request limit and the organization's cost units are counted on every call (with limits the load never reaches), the breaker and output checks run, and every call is written to the audit log in batches. Its built-in tools are off so both list the same tools.
${describeAuth(settings.auth)}
- **Requests**: protocol revision ${settings.revision}, session-less; each carries the \`_meta\` envelope (\`io.modelcontextprotocol/protocolVersion\`, \`io.modelcontextprotocol/clientCapabilities\`) and the headers \`MCP-Protocol-Version\`, \`Mcp-Method\` (and \`Mcp-Name\` for tools/call), \`Accept: application/json, text/event-stream\`, \`Content-Type: application/json\`, \`Authorization: Bearer …\`. tools/call calls \`${settings.callTool}\` with four arguments; tools/list lists all ${settings.toolCount} tools.
- **Correctness first**: before each measurement the runner checks the server answers HTTP 200 with a JSON-RPC result (the expected \`structuredContent\`, or all ${settings.toolCount} tool names), and fails the run otherwise; during the run ${checked}, and any non-2xx, error or timeout fails the run.
- **Load**: autocannon, ${settings.connections} connections, ${settings.warmupSec} s warm-up (discarded), then ${settings.durationSec} s measured, per server and case${settings.rounds > 1 ? `; each (server, case) was measured in ${settings.rounds} rounds, each in a fresh process (a round measures Gatehouse, then the peer), and the median round by req/s is reported` : ''}. req/s is autocannon's mean of per-second counts; p50/p99 are computed from every 2xx response's own time (autocannon's histogram rounds to whole ms).
- **CPU**: *CPU µs/req* is the server process's CPU time during the measured window divided by the requests it served: it is less sensitive than req/s to other load on the machine, so it is the steadiest comparison. *server CPU* is the cores the server process used during the measured window (from \`/proc/<pid>/stat\`); *other CPU* is the cores used by everything except the server and the load generator (from \`/proc/stat\`): other processes that competed with the measurement. Before each warm-up the runner waits (up to 60 s) for the machine to be under 10% busy, and a measured window in which other processes used more than 0.15 cores is measured again (up to 3 attempts, keeping the quietest); a row whose *other CPU* is still high is less reliable.
- **Memory**: peak RSS is the kernel's high-water mark (\`VmHWM\` in \`/proc/<pid>/status\`) of the server process, sampled every 200 ms through warm-up and measurement; each (server, case) gets a fresh process, so it is that case's peak including startup${settings.auth === 'oauth' ? " (for Gatehouse, also the sign-in and token issuance that precede measuring)" : ''}.
- **Fairness on a small machine**: the servers run **one at a time, never concurrently**, each in a fresh process, so each gets the same conditions. The load generator (single-threaded autocannon) runs on the same ${machine.cores}-core machine and competes with the server for CPU, so absolute numbers understate what a server does on its own cores; the ratio between the two servers is the meaningful figure.

## Results

${table.join('\n')}

${ratioTable.join('\n')}

${targetVerdict(results)}.

Reading the numbers: on a small shared VM, repeated runs of the same server differ by up to about ±20% in req/s, more than the servers' own tuning usually moves them; use \`--rounds 3\` (or more) before drawing conclusions, and lean on *CPU µs/req*, which varies least. With 32 connections, latency follows throughput (mean latency ≈ connections ÷ req/s), so p99 ≤ 10 ms needs roughly 7 500 req/s or more on this harness, plus short GC pauses.

## Reproduce

\`\`\`sh
npm ci
npm run build
npm run bench                      # 3 s warm-up + 10 s per server and case, writes docs/benchmarks.md
npm run bench -- --duration 30     # longer runs
npm run bench -- --auth jwt        # the lighter HS256 shared-secret setup instead of the OAuth flow
npm run bench -- --profile         # also CPU-profile the Gatehouse child and print where its time goes
\`\`\`

Flags: \`--duration N\` (seconds measured, default 10), \`--warmup N\` (default 3), \`--connections N\` (default 32), \`--mode sqlite\` (the only mode so far; \`postgres-redis\` is reserved), \`--auth oauth|jwt\` (default \`oauth\`: Gatehouse's authorization server issues an ES256 token through the full OAuth flow and the peer verifies it against its JWKS; \`jwt\`: a runner-minted HS256 token with a shared secret on both), \`--out FILE\` (default \`docs/benchmarks.md\`), \`--no-write\`, \`--profile\`, \`--quiet-timeout N\` (seconds to wait for an idle machine before each measurement, default 60; 0 skips the wait), \`--attempts N\` (measurements per case when other processes disturb one, default 3), \`--rounds N\` (fresh-process rounds per server and case, median reported; default 1). Run it on an otherwise idle machine with Node 20.
`;
}
