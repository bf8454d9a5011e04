import { createHash } from 'node:crypto';
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { GatehouseError } from '../errors/gatehouse-error.js';
import { bearerToken, type AuthResult, type Authenticator } from './authenticator.js';
import type { Principal } from './principal.js';

/** How access tokens are verified. */
export interface JwtAuthenticatorOptions {
  /** HS256 shared secret (at least 32 bytes), or a JWKS: a URL or a key set. */
  readonly key: { readonly secret: string | Uint8Array } | { readonly jwksUrl: string } | { readonly jwks: { keys: Record<string, unknown>[] } };
  readonly issuer: string;
  /** The MCP resource URL tokens must be issued for (RFC 8707). */
  readonly audience: string;
  /** Accepted clock difference with the issuer, seconds. Default 30. */
  readonly clockToleranceSec?: number;
  /** Verified tokens kept in memory until they expire. Default 10 000. */
  readonly cacheSize?: number;
  /** Protected-resource metadata URL advertised in `WWW-Authenticate`. */
  readonly resourceMetadataUrl?: string;
  /** Algorithms accepted. Default `HS256` for a secret, `RS256`/`ES256`/`EdDSA` for JWKS. */
  readonly algorithms?: readonly string[];
  /** Required `typ` header (`at+jwt` for RFC 9068 access tokens). */
  readonly typ?: string;
  /** Refuses tokens of revoked families (checked on every request, cached or not). */
  readonly isRevoked?: (payload: JWTPayload) => boolean;
}

interface CacheEntry {
  readonly principal: Principal;
  readonly exp: number;
  readonly payload: JWTPayload;
}

function principalFrom(payload: JWTPayload, token: string): Principal {
  const scope = typeof payload.scope === 'string' ? payload.scope : '';
  const org = payload.org_id ?? payload.org;
  // A sign-in's tokens share one credential (its grant), so refreshing keeps sessions and rate limits.
  const credentialId =
    typeof payload.gid === 'string'
      ? `grant:${payload.gid}`
      : typeof payload.jti === 'string'
        ? `jwt:${payload.jti}`
        : `jwt:${createHash('sha256').update(token).digest('base64url').slice(0, 22)}`;
  return {
    kind: 'user',
    credentialId,
    userId: String(payload.sub ?? ''),
    ...(typeof payload.email === 'string' ? { email: payload.email } : {}),
    organizationId: typeof org === 'string' ? org : null,
    ...(typeof payload.role === 'string' ? { role: payload.role } : {}),
    scopes: new Set(scope.split(' ').filter(Boolean)),
    ...(typeof payload.client_id === 'string' ? { clientId: payload.client_id } : {}),
    ...(typeof payload.exp === 'number' ? { expiresAt: payload.exp } : {}),
    ...(typeof payload.iat === 'number' ? { issuedAt: payload.iat } : {}),
  };
}

/**
 * Resource-server verification of JWT access tokens with `jose`: signature,
 * issuer, audience and expiry with a clock-skew leeway (B-AUTH-12). A verified
 * token is cached until it expires, so repeated calls cost one map lookup.
 */
export class JwtAuthenticator implements Authenticator {
  readonly #key: Uint8Array | JWTVerifyGetKey;
  readonly #options: JwtAuthenticatorOptions;
  readonly #tolerance: number;
  readonly #cacheSize: number;
  readonly #cache = new Map<string, CacheEntry>();

  constructor(options: JwtAuthenticatorOptions) {
    this.#options = options;
    this.#tolerance = options.clockToleranceSec ?? 30;
    this.#cacheSize = options.cacheSize ?? 10_000;
    if ('secret' in options.key) {
      const secret = typeof options.key.secret === 'string' ? new TextEncoder().encode(options.key.secret) : options.key.secret;
      if (secret.length < 32) throw new RangeError('JWT secret must be at least 32 bytes');
      this.#key = secret;
    } else if ('jwksUrl' in options.key) {
      this.#key = createRemoteJWKSet(new URL(options.key.jwksUrl));
    } else {
      this.#key = createLocalJWKSet(options.key.jwks);
    }
  }

  authenticate(authorization: string | null): AuthResult | Promise<AuthResult> {
    const token = bearerToken(authorization);
    if (token === undefined) return new GatehouseError('auth_required');
    const hit = this.#cache.get(token);
    if (hit !== undefined) {
      if (this.#options.isRevoked?.(hit.payload) === true) return new GatehouseError('invalid_token');
      if (hit.exp + this.#tolerance > Date.now() / 1000) return hit.principal;
      this.#cache.delete(token);
      return new GatehouseError('token_expired', { details: { expired_at: new Date(hit.exp * 1000).toISOString() } });
    }
    return this.#verify(token);
  }

  /** Drops cached verifications, e.g. after a revocation. */
  forget(predicate: (principal: Principal) => boolean = () => true): void {
    for (const [token, entry] of this.#cache) if (predicate(entry.principal)) this.#cache.delete(token);
  }

  challenge(error: GatehouseError): string {
    const parts = ['Bearer realm="mcp"'];
    if (this.#options.resourceMetadataUrl !== undefined) parts.push(`resource_metadata="${this.#options.resourceMetadataUrl}"`);
    if (error.code === 'invalid_token' || error.code === 'token_expired') parts.push('error="invalid_token"');
    // Step-up: tell the client which scope to ask for (RFC 6750 §3.1).
    if (error.code === 'insufficient_scope') parts.push('error="insufficient_scope"', `scope="${String(error.details.required_scope)}"`);
    return parts.join(', ');
  }

  async #verify(token: string): Promise<AuthResult> {
    const isSecret = this.#key instanceof Uint8Array;
    try {
      const verifyOptions = {
        issuer: this.#options.issuer,
        audience: this.#options.audience,
        clockTolerance: this.#tolerance,
        algorithms: [...(this.#options.algorithms ?? (isSecret ? ['HS256'] : ['RS256', 'ES256', 'EdDSA']))],
        ...(this.#options.typ === undefined ? {} : { typ: this.#options.typ }),
      };
      const { payload } = isSecret
        ? await jwtVerify(token, this.#key, verifyOptions)
        : await jwtVerify(token, this.#key, verifyOptions);
      if (typeof payload.exp !== 'number' || this.#options.isRevoked?.(payload) === true) return new GatehouseError('invalid_token');
      const principal = principalFrom(payload, token);
      if (this.#cache.size >= this.#cacheSize) this.#cache.delete(this.#cache.keys().next().value as string);
      this.#cache.set(token, { principal, exp: payload.exp, payload });
      return principal;
    } catch (thrown) {
      if (thrown instanceof errors.JWTExpired) {
        const exp = typeof thrown.payload.exp === 'number' ? new Date(thrown.payload.exp * 1000).toISOString() : undefined;
        return new GatehouseError('token_expired', { details: exp === undefined ? {} : { expired_at: exp } });
      }
      return new GatehouseError('invalid_token', { cause: thrown });
    }
  }
}
