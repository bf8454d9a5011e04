import { randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { audienceFor, BENCH_ISSUER, mintToken, newSecret, SECRET_ENV } from './jwt.js';
import type { AuthKind } from './modes.js';
import { AUDIENCE_ENV, BENCH_USER_EMAIL, forgedToken, ISSUER_ENV, JWKS_ENV, newPassword, obtainAccessToken, PASSWORD_ENV, type IssuedToken } from './oauth-token.js';
import type { Refusal } from './requests.js';

/**
 * How the runner equips each server child for the chosen `--auth`: the
 * environment it starts with, then, once it listens, the token the load sends
 * and the tokens it must refuse.
 */

export interface Credentials {
  readonly token: string;
  readonly refused: readonly Refusal[];
  /** With `--auth oauth`, the token Gatehouse's authorization server issued: the peer of the same round is handed it. */
  readonly issued?: IssuedToken;
}

export interface ChildAuth {
  readonly env: Record<string, string>;
  /** Called once the child announces its port. */
  credentials(port: number): Promise<Credentials>;
}

/** An HS256 token with every claim right for this resource, signed with a secret nobody shares: an algorithm the verifier must not accept. */
async function hs256Impostor(issued: IssuedToken): Promise<string> {
  return new SignJWT({ scope: issued.scope, client_id: 'impostor' })
    .setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' })
    .setIssuer(issued.issuer)
    .setAudience(issued.audience)
    .setSubject('impostor')
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(randomBytes(32));
}

async function oauthRefusals(issued: IssuedToken): Promise<Refusal[]> {
  return [
    { why: 'a copy of the issued access token re-signed with a foreign ES256 key', token: await forgedToken(issued) },
    { why: 'an HS256 token with the right issuer and audience', token: await hs256Impostor(issued) },
  ];
}

/** Per-run state of one auth kind: the secrets, shared by every child of the run, never on argv. */
export interface AuthPlan {
  readonly kind: AuthKind;
  /** The Gatehouse child of a round. */
  gatehouse(): ChildAuth;
  /** The peer child of the same round, given what its Gatehouse issued (oauth) or nothing (jwt). */
  peer(issued: IssuedToken | undefined): ChildAuth;
}

export function planAuth(kind: AuthKind): AuthPlan {
  switch (kind) {
    case 'oauth': {
      const password = newPassword();
      return {
        kind,
        gatehouse: () => ({
          env: { [PASSWORD_ENV]: password },
          async credentials(port) {
            const issued = await obtainAccessToken(`http://127.0.0.1:${port}`, { email: BENCH_USER_EMAIL, password });
            return { token: issued.token, refused: await oauthRefusals(issued), issued };
          },
        }),
        peer: (issued) => {
          if (issued === undefined) throw new Error('--auth oauth: the peer needs the token its round’s Gatehouse issued');
          return {
            env: { [JWKS_ENV]: JSON.stringify(issued.jwks), [ISSUER_ENV]: issued.issuer, [AUDIENCE_ENV]: issued.audience },
            async credentials() {
              return { token: issued.token, refused: await oauthRefusals(issued) };
            },
          };
        },
      };
    }
    case 'jwt': {
      const secret = newSecret();
      const child: ChildAuth = {
        env: { [SECRET_ENV]: secret },
        async credentials(port) {
          return {
            token: await mintToken({ secret, audience: audienceFor(port) }),
            refused: [{ why: 'a token for another audience', token: await mintToken({ secret, audience: 'https://elsewhere.invalid/mcp', issuer: BENCH_ISSUER }) }],
          };
        },
      };
      return { kind, gatehouse: () => child, peer: () => child };
    }
  }
}
