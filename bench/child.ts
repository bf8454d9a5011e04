import { createServer } from 'node:net';

/**
 * Plumbing shared by the two server children, so both start, announce and
 * stop the same way and the runner can treat them identically.
 */

/** Marker the runner scans stdout for; a prefix keeps it apart from any log line. */
export const READY_PREFIX = 'BENCH_READY ';

/**
 * Finds a free loopback port before the server is built: Gatehouse needs its
 * public URL (and thus the port) at construction time, and the JWT audience
 * derives from it, so "listen on 0 and see" is not enough.
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/** Prints the port on stdout, the one thing the runner waits for. */
export function announce(port: number): void {
  process.stdout.write(`${READY_PREFIX}${JSON.stringify({ port, pid: process.pid })}\n`);
}

/**
 * Exits cleanly on SIGTERM/SIGINT. A clean `process.exit` (not a kill) is what
 * lets `node --cpu-prof` write its profile when the runner profiles a child.
 */
export function exitOnSignal(close: () => Promise<void>): void {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      const timer = setTimeout(() => process.exit(0), 2_000);
      timer.unref();
      void close()
        .catch(() => undefined)
        .finally(() => process.exit(0));
    });
  }
}
