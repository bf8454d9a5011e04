import autocannon from 'autocannon';
import type { HttpRequestSpec } from './requests.js';

/**
 * Drives one server with autocannon. Latency percentiles are computed here
 * from every response's own timing (sub-millisecond), because autocannon's
 * histogram rounds to whole milliseconds, too coarse for a 10 ms target.
 */

export interface LoadOptions {
  readonly url: string;
  readonly request: HttpRequestSpec;
  readonly connections: number;
  readonly durationSec: number;
  /** When set, every response body must equal it; a mismatch fails the run. */
  readonly expectBody?: string;
}

export interface LoadResult {
  /** Mean of the per-second request counts (autocannon's `requests.mean`). */
  readonly reqPerSec: number;
  readonly totalRequests: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly non2xx: number;
  readonly errors: number;
  readonly timeouts: number;
  readonly mismatches: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] as number;
}

export function runLoad(options: LoadOptions): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    // Growable buffer of 2xx response times; a plain number[] would box less predictably at ~10^5-10^6 entries.
    let times = new Float64Array(1 << 16);
    let count = 0;
    const instance = autocannon(
      {
        url: options.url,
        method: options.request.method,
        headers: options.request.headers,
        body: options.request.body,
        connections: options.connections,
        duration: options.durationSec,
        ...(options.expectBody === undefined ? {} : { expectBody: options.expectBody }),
      },
      (err: unknown, result: autocannon.Result) => {
        if (err !== null && err !== undefined) {
          reject(err instanceof Error ? err : new Error(`autocannon failed: ${JSON.stringify(err)}`));
          return;
        }
        const sorted = times.subarray(0, count).sort();
        resolve({
          reqPerSec: result.requests.mean,
          totalRequests: result.requests.total,
          p50Ms: percentile(sorted, 50),
          p99Ms: percentile(sorted, 99),
          maxMs: count === 0 ? Number.NaN : (sorted[count - 1] as number),
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          mismatches: result.mismatches,
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode < 200 || statusCode >= 300) return;
      if (count === times.length) {
        const grown = new Float64Array(times.length * 2);
        grown.set(times);
        times = grown;
      }
      times[count++] = responseTime;
    });
  });
}

/** Fails loudly when any measured response was not the verified answer. */
export function assertClean(label: string, result: LoadResult): void {
  const problems = [
    result.non2xx > 0 ? `${result.non2xx} non-2xx responses` : '',
    result.errors > 0 ? `${result.errors} connection errors` : '',
    result.timeouts > 0 ? `${result.timeouts} timeouts` : '',
    result.mismatches > 0 ? `${result.mismatches} responses differing from the verified body` : '',
    result.totalRequests === 0 ? 'no completed requests' : '',
  ].filter(Boolean);
  if (problems.length > 0) throw new Error(`${label}: the load run was not clean: ${problems.join(', ')}`);
}
