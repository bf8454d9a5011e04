/** `jane@example.com` → `j***@example.com`; any other string keeps its first character. */
export function maskValue(value: string): string {
  const at = value.lastIndexOf('@');
  if (at > 0 && at < value.length - 1) return `${value[0]}***${value.slice(at)}`;
  return value.length <= 1 ? '***' : `${value[0]}***`;
}

type Segment = { readonly key: string; readonly each: boolean };

/** `subscribers[].email` → [{subscribers, each}, {email}]. */
export function parsePiiPath(path: string): readonly Segment[] {
  return path.split('.').map((part) => (part.endsWith('[]') ? { key: part.slice(0, -2), each: true } : { key: part, each: false }));
}

/**
 * Returns a copy of `value` with the strings at `paths` masked, copying only
 * along the paths; `seen` collects each original and its mask, so text that
 * repeats them can be masked too.
 */
export function maskPaths(value: unknown, paths: readonly (readonly Segment[])[], seen: Map<string, string>): unknown {
  let out = value;
  for (const path of paths) out = maskAt(out, path, 0, seen);
  return out;
}

function maskAt(value: unknown, path: readonly Segment[], i: number, seen: Map<string, string>): unknown {
  if (i === path.length) {
    if (typeof value === 'string') {
      const masked = maskValue(value);
      if (value !== masked) seen.set(value, masked);
      return masked;
    }
    if (Array.isArray(value)) return value.map((v) => maskAt(v, path, i, seen));
    return value;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const segment = path[i] as Segment;
  const record = value as Record<string, unknown>;
  if (!(segment.key in record)) return value;
  const inner = record[segment.key];
  const next = segment.each && Array.isArray(inner) ? inner.map((item) => maskAt(item, path, i + 1, seen)) : maskAt(inner, path, i + 1, seen);
  return { ...record, [segment.key]: next };
}

/** Masks every collected original inside free text (longest first, so no original hides inside another's mask). */
export function maskText(text: string, seen: ReadonlyMap<string, string>): string {
  let out = text;
  for (const original of [...seen.keys()].sort((a, b) => b.length - a.length)) out = out.split(original).join(seen.get(original) ?? '***');
  return out;
}
