import type { ErrorDefinition } from './definition.js';
import { authenticationErrors } from './catalog/authentication.js';
import { authorizationServerErrors } from './catalog/authorization-server.js';
import { inputErrors } from './catalog/input.js';
import { policyErrors } from './catalog/policy.js';
import { protocolErrors } from './catalog/protocol.js';
import { tenancyErrors } from './catalog/tenancy.js';
import { transportErrors } from './catalog/transport.js';

/**
 * The one error catalogue. Each code has exactly one entry; its HTTP status,
 * JSON-RPC code, retryable flag, message and documentation come from here, and
 * `docs/errors.md` is generated from it.
 */
export const errorCatalog = {
  ...transportErrors,
  ...protocolErrors,
  ...authenticationErrors,
  ...authorizationServerErrors,
  ...tenancyErrors,
  ...policyErrors,
  ...inputErrors,
} as const satisfies Record<string, ErrorDefinition>;

/** Every stable error code Gatehouse can return. */
export type ErrorCode = keyof typeof errorCatalog;

/** All codes, in catalogue order. */
export const errorCodes = Object.keys(errorCatalog) as ErrorCode[];

export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(errorCatalog, value);
}

export function errorDefinition(code: ErrorCode): ErrorDefinition {
  return errorCatalog[code];
}
