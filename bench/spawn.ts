import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { READY_PREFIX } from './child.js';

/**
 * Starts a benchmark server as its own Node process, waits for the port it
 * announces, samples its memory, and makes sure it dies with the runner.
 */

export interface ServerChild {
  readonly pid: number;
  readonly port: number;
  /** SIGTERM (clean exit, so a CPU profile gets written), then SIGKILL if it lingers. */
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();

/** Last-resort cleanup: a runner that crashes or is interrupted must not leave servers behind. */
function killAll(): void {
  for (const child of live) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
process.once('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    killAll();
    process.exit(130);
  });
}

export interface StartOptions {
  readonly script: string;
  readonly args?: readonly string[];
  /** Flags for the child's Node, e.g. `--cpu-prof`. */
  readonly nodeFlags?: readonly string[];
  readonly env: Record<string, string>;
  readonly timeoutMs?: number;
}

export function startServer(label: string, options: StartOptions): Promise<ServerChild> {
  // process.execPath: the children run on the very Node binary the runner runs on.
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), options.script, ...(options.args ?? [])], {
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
    if (stderr.length > 20_000) stderr = stderr.slice(-20_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => (live.delete(child), resolve())));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    await exited;
    clearTimeout(timer);
  };

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`${label} did not announce its port within ${options.timeoutMs ?? 20_000} ms\n${stderr}`));
    }, options.timeoutMs ?? 20_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${label} exited early (code ${code}, signal ${signal})\n${stderr}`));
    });
    const lines = createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      // Anything else on stdout (warn-level logs) is passed through so it is not lost.
      if (!line.startsWith(READY_PREFIX)) return void process.stderr.write(`[${label}] ${line}\n`);
      clearTimeout(timer);
      const { port } = JSON.parse(line.slice(READY_PREFIX.length)) as { port: number };
      resolve({ pid: child.pid as number, port, stop });
    });
  });
}

export interface MemorySample {
  /** Largest resident set seen by sampling VmRSS, bytes. */
  readonly peakRssBytes: number;
  /** The kernel's own high-water mark (VmHWM) at the last sample: the true peak since the process started, bytes. */
  readonly hwmBytes: number;
}

function readStatus(pid: number): { rss: number; hwm: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0) * 1024;
    return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
  } catch {
    return undefined; // the process is gone; keep what was sampled
  }
}

/** Samples a process's memory every `intervalMs` until `stop()` is called. */
export function sampleMemory(pid: number, intervalMs = 200): { stop(): MemorySample } {
  let peak = 0;
  let hwm = 0;
  const take = () => {
    const s = readStatus(pid);
    if (s === undefined) return;
    peak = Math.max(peak, s.rss);
    hwm = Math.max(hwm, s.hwm);
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return { peakRssBytes: peak, hwmBytes: hwm };
    },
  };
}
