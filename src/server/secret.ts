import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigurationError } from '../errors/configuration-error.js';
import type { StoreConfig } from '../store/store-config.js';

/** Shortest server secret accepted, characters (the `secret` option's rule). */
export const SERVER_SECRET_MIN_LENGTH = 32;

/**
 * The server secret that keys request-state MACs (and later cookies and
 * encrypted columns). Configured explicitly in production; for a local SQLite
 * store it is generated once and kept beside the database, owner-readable only.
 */
export function loadOrCreateSecret(storeFile: string): string {
  if (storeFile === ':memory:') return randomBytes(32).toString('base64url');
  const file = join(dirname(storeFile), 'secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(file, `${secret}\n`, { mode: 0o600 });
  chmodSync(file, 0o600);
  return secret;
}

/**
 * The one rule every process follows to find the secret, so keys and MACs
 * made by one (the admin CLI) verify in another (the server): the configured
 * secret, else the file beside a SQLite store; PostgreSQL needs it configured.
 */
export function resolveServerSecret(options: { readonly secret?: string | undefined; readonly store: StoreConfig }): string {
  if (options.secret !== undefined) {
    if (options.secret.length < SERVER_SECRET_MIN_LENGTH) throw new ConfigurationError(`must be at least ${SERVER_SECRET_MIN_LENGTH} characters`, 'secret');
    return options.secret;
  }
  if (options.store.kind === 'sqlite') return loadOrCreateSecret(options.store.file);
  throw new ConfigurationError('a secret (GATEHOUSE_SECRET) is required with a PostgreSQL store, shared by every instance', 'secret');
}
