import type { GatehouseError } from '../errors/gatehouse-error.js';
import type { ApiKeyAuthenticator } from './api-keys/api-key-authenticator.js';
import type { ApiKeyStore } from './api-keys/api-key-store.js';
import { bearerToken, type AuthResult, type Authenticator } from './authenticator.js';

/**
 * OAuth access tokens and API keys on the same endpoints: a bearer token
 * with the API-key prefix is a key, anything else an access token.
 */
export class CompositeAuthenticator implements Authenticator {
  constructor(
    private readonly tokens: Authenticator,
    private readonly apiKeys: ApiKeyAuthenticator,
    private readonly keys: ApiKeyStore,
  ) {}

  authenticate(authorization: string | null): AuthResult | Promise<AuthResult> {
    const token = bearerToken(authorization);
    if (token !== undefined && this.keys.looksLikeKey(token)) return this.apiKeys.authenticate(authorization);
    return this.tokens.authenticate(authorization);
  }

  challenge(error: GatehouseError): string {
    return error.code === 'invalid_api_key' ? this.apiKeys.challenge() : this.tokens.challenge(error);
  }
}
