import type { AuthResult, Authenticator } from './authenticator.js';
import type { Principal } from './principal.js';

/**
 * No authorization: every request acts as one local developer. Only for
 * `gatehouse dev --insecure-no-auth`, which binds to 127.0.0.1.
 */
export class LocalAuthenticator implements Authenticator {
  readonly #principal: Principal;

  constructor(options: { organizationId: string | null; userId?: string; scopes?: readonly string[]; role?: string }) {
    this.#principal = {
      kind: 'local',
      credentialId: 'local',
      userId: options.userId ?? 'local-developer',
      organizationId: options.organizationId,
      ...(options.role === undefined ? {} : { role: options.role }),
      scopes: new Set(options.scopes ?? []),
    };
  }

  authenticate(): AuthResult {
    return this.#principal;
  }

  challenge(): string {
    return 'Bearer realm="mcp"';
  }
}
