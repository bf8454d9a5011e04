import type { AuthResult } from '../auth/authenticator.js';
import { GatehouseError } from '../errors/gatehouse-error.js';

/**
 * Whether an add-on's credential may hold a connection: at the upgrade and at
 * every heartbeat. The same bar as `/mcp` (a verified credential with the
 * endpoint's required scope), plus a user: routing keys on the user, and a
 * credential that names none could be confused with another such credential.
 */
export function admitCredential(result: AuthResult, requiredScope: string | undefined): GatehouseError | undefined {
  if (result instanceof GatehouseError) return result;
  if (requiredScope !== undefined && !result.scopes.has(requiredScope)) {
    return new GatehouseError('insufficient_scope', { message: `Missing required scope: ${requiredScope}`, details: { required_scope: requiredScope } });
  }
  if (result.userId === '') return new GatehouseError('forbidden', { message: 'This credential acts for no user, so no calls can be routed to it.' });
  return undefined;
}
