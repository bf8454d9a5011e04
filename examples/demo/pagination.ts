import { z } from 'zod';
import { fail } from '../../src/errors/gatehouse-error.js';

/**
 * Keyset pagination on (created_at, id), newest first: stable while rows are
 * added, unlike offsets. The cursor is opaque to the model on purpose.
 */
export interface Position {
  readonly createdAt: string;
  readonly id: string;
}

export const pageFields = {
  cursor: z
    .string()
    .max(200)
    .optional()
    .describe('Opaque cursor from a previous page\'s `next_cursor`; omit for the first page.'),
  limit: z
    .number({ error: 'limit must be a whole number from 1 to 100' })
    .int({ error: 'limit must be a whole number from 1 to 100' })
    .min(1, { error: 'limit must be a whole number from 1 to 100' })
    .max(100, { error: 'limit must be a whole number from 1 to 100' })
    .default(25)
    .describe('Maximum items to return (1–100, default 25).'),
};

export function encodeCursor(position: Position): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.id])).toString('base64url');
}

export function decodeCursor(cursor: string | undefined): Position | undefined {
  if (cursor === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') {
      return { createdAt: value[0], id: value[1] };
    }
  } catch {
    // fall through to the uniform error below
  }
  throw fail('invalid_input', 'cursor is not valid: pass next_cursor from the previous page unchanged, or omit it', { field: 'cursor' });
}

/** Splits a `limit + 1` fetch into the page and the cursor for the next one. */
export function toPage<R extends { created_at: string; id: string }>(rows: readonly R[], limit: number): { rows: R[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const nextCursor = rows.length > limit && last !== undefined ? encodeCursor({ createdAt: last.created_at, id: last.id }) : null;
  return { rows: page, nextCursor };
}
