import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * CPU accounting for a shared machine: how busy the rest of the machine was
 * while a server was measured. On 2 cores, any other busy process skews a
 * result, so the runner waits for quiet and reports what it could not avoid.
 */

/** Linux reports /proc times in USER_HZ ticks, which is 100 on every mainstream kernel. */
const TICK_US = 10_000;

function machineBusyUs(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0] ?? '';
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number);
  const busy = user + nice + system + irq + softirq + steal;
  return { busy: busy * TICK_US, total: (busy + idle + iowait) * TICK_US };
}

function processCpuUs(pid: number): number {
  try {
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th of those.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_US;
  } catch {
    return 0;
  }
}

function runnerCpuUs(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/** CPU used over a window, in cores (1.0 = one core fully busy for the whole window). */
export interface CpuWindow {
  /** CPU time the server process used in the window, µs: divided by requests served it gives a cost per request that other load barely disturbs. */
  readonly serverCpuUs: number;
  readonly serverCores: number;
  readonly loadGeneratorCores: number;
  /** Everything else on the machine: other processes that competed with the measurement. */
  readonly otherCores: number;
}

/** Starts measuring; `stop()` returns how many cores the server, the load generator and everyone else used. */
export function cpuWindow(serverPid: number): { stop(): CpuWindow } {
  const t0 = performance.now();
  const m0 = machineBusyUs();
  const s0 = processCpuUs(serverPid);
  const r0 = runnerCpuUs();
  return {
    stop() {
      const wallUs = Math.max(1, (performance.now() - t0) * 1000);
      const server = processCpuUs(serverPid) - s0;
      const runner = runnerCpuUs() - r0;
      const other = Math.max(0, machineBusyUs().busy - m0.busy - server - runner);
      return { serverCpuUs: server, serverCores: server / wallUs, loadGeneratorCores: runner / wallUs, otherCores: other / wallUs };
    },
  };
}

/**
 * Waits until the machine has been nearly idle for a second (less than
 * `maxBusyPercent` of all cores busy), for at most `timeoutSec`. Returns the
 * last busy share seen, so the caller can report a run that never got quiet.
 */
export async function waitForQuiet(maxBusyPercent = 10, timeoutSec = 60): Promise<number> {
  const deadline = Date.now() + timeoutSec * 1000;
  let busy = 100;
  while (Date.now() < deadline) {
    const a = machineBusyUs();
    await sleep(1000);
    const b = machineBusyUs();
    busy = (100 * (b.busy - a.busy)) / Math.max(1, b.total - a.total);
    if (busy < maxBusyPercent) return busy;
  }
  return busy;
}
