import { createHash } from 'node:crypto';

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** sha256 of a JSON value with its object keys sorted: equal arguments hash equal whatever their key order. */
export function stableHash(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(canonical(value) ?? null)).digest('hex');
}

/** sha256 of the parts, separated so no two different lists collide. */
export function hashParts(...parts: readonly string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(`${part.length}:${part}`);
  return hash.digest('hex');
}
