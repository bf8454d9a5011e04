import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Summarizes a V8 `.cpuprofile` (from `node --cpu-prof`) into the functions
 * and files where a server spends its CPU: self time says what is expensive
 * itself, inclusive time says which of our calls drag expensive work in.
 */

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}
interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}
interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface ProfileRow {
  readonly key: string;
  readonly ms: number;
  readonly percent: number;
}

export interface ProfileSummary {
  readonly file: string;
  readonly totalMs: number;
  readonly idlePercent: number;
  readonly selfByFunction: readonly ProfileRow[];
  readonly selfByArea: readonly ProfileRow[];
  readonly inclusiveSrc: readonly ProfileRow[];
}

/** Shortens a frame's URL to something a reader recognises: `src/http/app.ts`-like paths, package names, or node internals. */
function shortUrl(url: string, root: string): string {
  if (url === '') return '(native)';
  if (url.startsWith('node:')) return url;
  const path = url.startsWith('file://') ? fileURLToPath(url) : url;
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + 'node_modules/'.length).split('/');
    return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? path);
  }
  return relative(root, path);
}

/** Where a frame belongs: our compiled `src/` (with file), a package, node internals, or V8 itself. */
function area(short: string): string {
  if (short.startsWith('dist/src/')) return short.replace(/^dist\//, '').replace(/\.js$/, '.ts');
  if (short.startsWith('dist/')) return 'bench harness';
  if (short.startsWith('node:')) return 'node internals';
  if (short === '(native)') return '(native / V8 / GC)';
  return `pkg ${short}`;
}

function top(map: Map<string, number>, totalUs: number, n: number): ProfileRow[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([key, us]) => ({ key, ms: us / 1000, percent: (100 * us) / totalUs }));
}

export function summarizeProfile(file: string, root: string, n = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const keyOf = (node: ProfileNode) => {
    const short = shortUrl(node.callFrame.url, root);
    return `${node.callFrame.functionName || '(anonymous)'} ${short}${node.callFrame.url === '' ? '' : `:${node.callFrame.lineNumber + 1}`}`;
  };

  const selfFn = new Map<string, number>();
  const selfArea = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let totalUs = 0;
  let idleUs = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id);
    if (node === undefined) return;
    totalUs += dt;
    if (node.callFrame.functionName === '(idle)') idleUs += dt;
    const key = keyOf(node);
    selfFn.set(key, (selfFn.get(key) ?? 0) + dt);
    const a = area(shortUrl(node.callFrame.url, root));
    selfArea.set(a, (selfArea.get(a) ?? 0) + dt);
    // Inclusive time of our own functions: each counted once per sample even when recursive.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const frame = byId.get(cur);
      if (frame === undefined || !shortUrl(frame.callFrame.url, root).startsWith('dist/src/')) continue;
      const k = keyOf(frame);
      if (seen.has(k)) continue;
      seen.add(k);
      inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
    }
  });
  return {
    file,
    totalMs: totalUs / 1000,
    idlePercent: totalUs === 0 ? 0 : (100 * idleUs) / totalUs,
    selfByFunction: top(selfFn, totalUs, n),
    selfByArea: top(selfArea, totalUs, n),
    inclusiveSrc: top(inclusive, totalUs, n),
  };
}

/** The newest `.cpuprofile` in a directory (one is written per profiled process). */
export function newestProfile(dir: string): string | undefined {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.cpuprofile'))
    .map((f) => join(dir, f));
  return files.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}

export function formatProfile(summary: ProfileSummary): string {
  const rows = (title: string, list: readonly ProfileRow[]) =>
    [`  ${title}`, ...list.map((r) => `    ${r.percent.toFixed(1).padStart(5)}%  ${r.ms.toFixed(0).padStart(7)} ms  ${r.key}`)].join('\n');
  return [
    `CPU profile ${summary.file}: ${summary.totalMs.toFixed(0)} ms sampled, ${summary.idlePercent.toFixed(1)}% idle`,
    rows('self time by area', summary.selfByArea),
    rows('self time by function', summary.selfByFunction),
    rows('inclusive time of src/ functions', summary.inclusiveSrc),
  ].join('\n');
}
