/**
 * Deployment shapes the benchmark can measure Gatehouse in. Only the embedded
 * SQLite store exists today; `postgres-redis` is reserved so the flag's
 * vocabulary is stable before that mode lands.
 */
export const MODES = ['sqlite', 'postgres-redis'] as const;
export type Mode = (typeof MODES)[number];

const IMPLEMENTED: ReadonlySet<Mode> = new Set(['sqlite']);

/** Parses `--mode`, rejecting unknown and not-yet-implemented modes with a message that says which is which. */
export function parseMode(value: string | undefined): Mode {
  const mode = value ?? 'sqlite';
  if (!(MODES as readonly string[]).includes(mode)) {
    throw new Error(`unknown --mode "${mode}"; expected one of: ${MODES.join(', ')}`);
  }
  if (!IMPLEMENTED.has(mode as Mode)) {
    throw new Error(`--mode ${mode} is not implemented yet; implemented: ${[...IMPLEMENTED].join(', ')}`);
  }
  return mode as Mode;
}

/**
 * How both servers authorize `/mcp` during a run. `oauth` (the default) is
 * the real thing: Gatehouse's built-in authorization server issues an ES256
 * access token through the full browser flow, Gatehouse verifies it in
 * process and the peer verifies it against the same server's JWKS. `jwt` is
 * the older, lighter setup: an HS256 token minted by the runner with a secret
 * both servers share.
 */
export const AUTH_KINDS = ['oauth', 'jwt'] as const;
export type AuthKind = (typeof AUTH_KINDS)[number];

/** Parses `--auth`. */
export function parseAuth(value: string | undefined): AuthKind {
  const auth = value ?? 'oauth';
  if (!(AUTH_KINDS as readonly string[]).includes(auth)) throw new Error(`unknown --auth "${auth}"; expected one of: ${AUTH_KINDS.join(', ')}`);
  return auth as AuthKind;
}
