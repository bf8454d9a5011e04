import { randomBytes } from 'node:crypto';
import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import { fail, type GatehouseError } from '../../src/errors/gatehouse-error.js';
import type { RequestContext } from '../../src/tools/tool-context.js';
import type { MailroomSchema } from './schema.js';

/** What every Mailroom tool needs: the database and a clock (injectable so tests and seeds are deterministic). */
export interface MailroomDeps {
  readonly db: Kysely<MailroomSchema>;
  readonly now: () => Date;
  /** Whether the demo CRM is down (its calls fail server-side, which trips the circuit breaker). */
  readonly crmOutage: () => boolean;
}

/**
 * The tenant of the call. Every query filters on it; a call without one is
 * refused rather than answered from some default organization.
 */
export function requireOrg(ctx: RequestContext): string {
  if (ctx.organization === null) throw fail('organization_required');
  return ctx.organization.id;
}

/**
 * The one answer for a missing id and for an id of another organization, so a
 * caller cannot probe which ids exist elsewhere (B-TEN-07).
 */
export function notFound(resource: string, id: string): GatehouseError<'not_found'> {
  const label = resource.charAt(0).toUpperCase() + resource.slice(1).replaceAll('_', ' ');
  return fail('not_found', `${label} not found`, { resource, id });
}

/** `prefix_` + 16 lowercase hex characters; prefixes tell the model what an id points at. */
export function newId(prefix: 'sub' | 'seg' | 'snd' | 'cmp'): string {
  return `${prefix}_${randomBytes(8).toString('hex')}`;
}

/** A unique-index violation, on SQLite or PostgreSQL: the loser of a race on a unique key. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  const code = error.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}

/** Escapes `%`, `_` and `\` so user text is matched literally by `LIKE … ESCAPE '\'`. */
export function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Case-insensitive substring match on a column, with the text matched
 * literally. `lower()`, `LIKE` and `ESCAPE` behave the same on SQLite and
 * PostgreSQL (SQLite's LIKE alone is case-insensitive, PostgreSQL's is not).
 */
export function containsText(column: string, text: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`lower(${sql.ref(column)}) like ${likePattern(text)} escape '\\'`;
}
