import { randomBytes } from 'node:crypto';
import { SignJWT, jwtVerify, type JWTPayload } from 'jose';

/**
 * The `--auth jwt` scheme both servers enforce: HS256 with a shared secret, a
 * fixed issuer, and the MCP endpoint URL as audience (RFC 8707), which is also
 * Gatehouse's default audience (`<publicUrl>/mcp`). (`--auth oauth`, the
 * default, uses real tokens from Gatehouse's authorization server instead:
 * see `oauth-token.ts`.)
 */
export const BENCH_ISSUER = 'https://issuer.bench.invalid';
export const SECRET_ENV = 'BENCH_JWT_SECRET';

/** The audience a server on this loopback port expects. */
export function audienceFor(port: number): string {
  return `http://127.0.0.1:${port}/mcp`;
}

/** A fresh secret per run, handed to the children through the environment so it never hits argv (`ps`). */
export function newSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** Reads the secret in a child; failing loudly beats a server that rejects every token. */
export function secretFromEnv(): string {
  const secret = process.env[SECRET_ENV];
  if (secret === undefined || secret.length < 32) throw new Error(`${SECRET_ENV} must hold the shared HS256 secret (>= 32 chars)`);
  return secret;
}

export interface MintOptions {
  readonly secret: string;
  readonly audience: string;
  readonly issuer?: string;
  /** Lifetime, seconds. Default one hour: longer than any run. */
  readonly ttlSec?: number;
}

/** Signs the access token the load generator sends. */
export async function mintToken(options: MintOptions): Promise<string> {
  return new SignJWT({ scope: 'mcp:read tools:call tools:list', client_id: 'bench-client' })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(options.issuer ?? BENCH_ISSUER)
    .setAudience(options.audience)
    .setSubject('bench-user')
    .setJti(randomBytes(8).toString('hex'))
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + (options.ttlSec ?? 3600))
    .sign(new TextEncoder().encode(options.secret));
}

/** Verifies a token exactly as Gatehouse's JwtAuthenticator does: HS256 only, issuer, audience, expiry. */
export async function verifyToken(token: string, secret: Uint8Array, audience: string): Promise<JWTPayload> {
  const { payload } = await jwtVerify(token, secret, { issuer: BENCH_ISSUER, audience, algorithms: ['HS256'], clockTolerance: 30 });
  return payload;
}
