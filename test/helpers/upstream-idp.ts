import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';
import { freePort } from './oauth-server.js';

export interface UpstreamIdentity {
  sub: string;
  email: string;
  email_verified: boolean;
  name: string;
}

/**
 * A real OpenID Connect provider (a second oidc-provider) standing in for a
 * company's identity provider. Whoever reaches its sign-in is signed in as
 * `next` — the test decides who the upstream user is.
 */
export async function startUpstreamIdp(o: { redirectUri: string; clientId: string; clientSecret: string }): Promise<{
  issuer: string;
  next: UpstreamIdentity;
  signIns: number;
  close(): Promise<void>;
}> {
  const port = await freePort();
  const issuer = `http://localhost:${port}`;
  const state = {
    issuer,
    next: { sub: 'okta-1', email: 'alice@example.com', email_verified: true, name: 'Alice Upstream' } as UpstreamIdentity,
    signIns: 0,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const accounts = new Map<string, UpstreamIdentity>();
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const provider = new Provider(issuer, {
    jwks: { keys: [{ ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig' }] },
    ttl: { AuthorizationCode: 60, IdToken: 300, AccessToken: 300, Grant: 3600, Interaction: 600, Session: 3600 },
    clients: [{ client_id: o.clientId, client_secret: o.clientSecret, redirect_uris: [o.redirectUri], grant_types: ['authorization_code'], response_types: ['code'] }],
    pkce: { required: () => true },
    scopes: ['openid', 'email', 'profile'],
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: false } },
    cookies: { keys: ['upstream-idp-test-key'] },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    findAccount: (_ctx, sub) => {
      const who = accounts.get(sub);
      return who === undefined ? undefined : { accountId: sub, claims: () => ({ ...who }) };
    },
  });
  const callback = provider.callback();
  const server: Server = createServer((req, res) => {
    if (!(req.url ?? '').startsWith('/interaction/')) return void callback(req, res);
    void (async () => {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name === 'login') {
        const who = { ...state.next };
        accounts.set(who.sub, who);
        state.signIns++;
        return provider.interactionFinished(req, res, { login: { accountId: who.sub } }, { mergeWithLastSubmission: false });
      }
      const grant = new provider.Grant({ accountId: String(details.session?.accountId), clientId: String(details.params.client_id) });
      grant.addOIDCScope('openid email profile');
      return provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
    })().catch((err: unknown) => {
      res.statusCode = 500;
      res.end(String(err));
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return state;
}
