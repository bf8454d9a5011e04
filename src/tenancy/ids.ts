import { randomBytes } from 'node:crypto';

/** Prefixed random ids (`usr_…`, `org_…`, `key_…`): readable in logs, unguessable. */
export function newId(prefix: string): string {
  return `${prefix}_${randomBytes(10).toString('hex')}`;
}
