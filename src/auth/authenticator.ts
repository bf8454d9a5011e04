import type { GatehouseError } from '../errors/gatehouse-error.js';
import type { Principal } from './principal.js';

export type AuthResult = Principal | GatehouseError;

/**
 * Turns a request's credential into a principal. Implementations answer
 * synchronously from cache when they can, so the hot path pays no promise.
 */
export interface Authenticator {
  authenticate(authorization: string | null): AuthResult | Promise<AuthResult>;
  /** The `WWW-Authenticate` value for a 401/403 this authenticator produced. */
  challenge(error: GatehouseError): string;
}

/** Extracts the token of `Authorization: Bearer <token>` (scheme case-insensitive). */
export function bearerToken(authorization: string | null): string | undefined {
  if (authorization === null || authorization.length < 8) return undefined;
  if (authorization.slice(0, 7).toLowerCase() !== 'bearer ') return undefined;
  const token = authorization.slice(7).trim();
  return token === '' ? undefined : token;
}
