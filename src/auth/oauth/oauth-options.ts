import { z } from 'zod';

const HOUR = 3600;
const DAY = 24 * HOUR;

/**
 * The built-in OAuth 2.1 authorization server. Every lifetime is in seconds
 * and every default is the one behaviors.md asks for.
 */
export const oauthOptionsSchema = z.object({
  kind: z.literal('oauth'),
  /** Access-token lifetime, s. Default 300 (B-AUTH-06). */
  accessTokenTtl: z.number().int().min(30).max(DAY).default(300),
  /** Authorization-code lifetime, s. Default 60. */
  authorizationCodeTtl: z.number().int().min(10).max(600).default(60),
  /** Refresh-token lifetime, s (each rotation starts a new period). Default 7 days. */
  refreshTokenTtl: z.number().int().min(60).max(365 * DAY).default(7 * DAY),
  /** Absolute lifetime of one sign-in (its refresh-token family), s. Default 30 days. */
  grantTtl: z.number().int().min(60).max(365 * DAY).default(30 * DAY),
  /** A rotated refresh token presented again within this window is tolerated (concurrent refreshes), s. Default 30. */
  refreshReuseGraceSeconds: z.number().int().min(0).max(300).default(30),
  /** Time a user has to sign in and consent, s. Default 600. */
  interactionTtl: z.number().int().min(60).max(DAY).default(600),
  /** Browser sign-in session at the authorization server, s. Default 14 days. */
  sessionTtl: z.number().int().min(60).max(90 * DAY).default(14 * DAY),
  /** Dynamic client registrations per client IP per hour (B-AUTH-03). Default 10. */
  registrationsPerHour: z.number().int().min(1).max(10_000).default(10),
  /** Registered clients never used for this long are removed, s. Default 30 days. */
  unusedClientTtl: z.number().int().min(HOUR).default(30 * DAY),
  /** Accepted clock difference when verifying tokens, s (B-AUTH-12). Default 30. */
  clockToleranceSec: z.number().int().min(0).max(600).default(30),
  /** Scope every call to /mcp needs; without it the answer is 403 with a step-up challenge (B-AUTH-08). Default none. */
  requiredScope: z.string().min(1).optional(),
  /** Prefix of API keys (`<prefix>_…`). Default `gh`. */
  apiKeyPrefix: z.string().regex(/^[a-z][a-z0-9]{0,15}$/, 'lower-case letters and digits, starting with a letter').default('gh'),
  /** Failed password sign-ins that lock an account, and for how long, s. Defaults 5 and 900. */
  lockout: z.object({ maxFailures: z.number().int().min(1).max(100).default(5), lockSeconds: z.number().int().min(1).default(900) }).prefault({}),
  /** Client ID Metadata Documents (https client_id URLs). */
  clientMetadataDocuments: z
    .object({
      /** Default true. */
      enabled: z.boolean().default(true),
      /**
       * Development and tests only: fetch documents from loopback and private
       * addresses. Default false; never in production (SSRF).
       */
      allowPrivateNetwork: z.boolean().default(false),
      /** Extra CA certificates (PEM) trusted when fetching documents. Default: the system's. */
      tlsCa: z.string().includes('-----BEGIN CERTIFICATE-----', { message: 'must be PEM certificates' }).optional(),
    })
    .prefault({}),
  /** Sign-in through an upstream OpenID Connect provider (B-AUTH-11), beside or instead of passwords. */
  upstream: z
    .object({
      /** Shown on the button: "Continue with <name>". */
      name: z.string().min(1),
      issuer: z.url(),
      clientId: z.string().min(1),
      clientSecret: z.string().min(1).optional(),
      /** Create a Gatehouse user on first sign-in when none has this verified email. Default false. */
      createUsers: z.boolean().default(false),
      /** Development and tests only: allow an http issuer on loopback. */
      allowInsecureIssuer: z.boolean().default(false),
    })
    .optional(),
  /** Sign in with local passwords. Default true. */
  passwords: z.boolean().default(true),
  /**
   * Clients known in advance (e.g. the conformance suite's), public and
   * PKCE-only. Their redirect URIs are still checked exactly.
   */
  staticClients: z
    .array(z.object({ clientId: z.string().min(1), clientName: z.string().min(1), redirectUris: z.array(z.url()).min(1) }))
    .default([]),
});

export type OAuthOptions = z.output<typeof oauthOptionsSchema>;
