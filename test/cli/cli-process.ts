import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

/** The built CLI (`npm test` builds before running the suites). */
export const CLI = new URL('../../dist/src/cli/main.js', import.meta.url).pathname;

/** Variables that would point a spawned CLI at another store or secret than the test's. */
const cleanEnv = (): NodeJS.ProcessEnv => {
  const env = { ...process.env };
  delete env.DATABASE_URL;
  delete env.GATEHOUSE_SECRET;
  return env;
};

export interface CliRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `gatehouse …` to completion, with optional stdin and extra environment.
 * Asynchronous on purpose: a blocking spawnSync stalls the vitest worker's RPC
 * channel, and on a loaded CI machine a run of them crosses its 60 s timeout.
 */
export async function runCli(args: readonly string[], options: { input?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...cleanEnv(), ...options.env } });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdin.on('error', () => undefined); // the CLI may exit without reading stdin
  child.stdin.end(options.input ?? '');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const status = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  }).finally(() => clearTimeout(timer));
  return { status, stdout, stderr };
}

/** `runCli` with `--json`, expecting success, parsing stdout. */
export async function runJson<T = Record<string, unknown>>(args: readonly string[], options: { input?: string; env?: Record<string, string> } = {}): Promise<T> {
  const r = await runCli([...args, '--json'], options);
  if (r.status !== 0) throw new Error(`gatehouse ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

export interface DevServer {
  readonly child: ChildProcessWithoutNullStreams;
  /** The MCP endpoint, `http://localhost:<port>/mcp`. */
  readonly url: string;
  /** The public base URL (issuer), `http://localhost:<port>`. */
  readonly base: string;
  readonly stderr: () => string;
  stop(): Promise<void>;
}

/** Starts `gatehouse dev --port 0 --data <data> …` and waits for its banner. */
export async function startDev(data: string, extra: readonly string[] = []): Promise<DevServer> {
  const child = spawn(process.execPath, [CLI, 'dev', '--port', '0', '--data', data, '--log-level', 'warn', ...extra], { env: cleanEnv() });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout.resume();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const until = Date.now() + 20_000;
  while (!/MCP endpoint: (\S+)/.test(err) && child.exitCode === null && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  const url = /MCP endpoint: (\S+)/.exec(err)?.[1];
  if (url === undefined) {
    child.kill('SIGKILL');
    throw new Error(`gatehouse dev did not start: ${err}`);
  }
  return {
    child,
    url,
    base: new URL(url).origin,
    stderr: () => err,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** A JSON-RPC call to /mcp, optionally with a bearer credential. */
export async function mcpCall(url: string, method: string, params: Record<string, unknown> | undefined, bearer?: string): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...(bearer === undefined ? {} : { authorization: `Bearer ${bearer}` }) },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, ...(params === undefined ? {} : { params }) }),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
}
