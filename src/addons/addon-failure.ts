import { GatehouseError } from '../errors/gatehouse-error.js';
import type { AddonInfo } from './addon-hub-options.js';
import { ADDON_ERROR_CODES, type ErrorMessage } from './addon-messages.js';

/**
 * The catalogue error for an add-on's `error` answer. An add-on is the
 * tool's handler, so it gets a handler's two ways to fail: a catalogue code
 * it may use (with that code's required detail) reaches the caller with its
 * message, like `fail(code, …)`; anything else becomes `internal_error`,
 * its message kept for the server log only, like a thrown exception.
 */
export function addonFailure(answer: ErrorMessage, addon: AddonInfo, tool: string): GatehouseError {
  const code = answer.code;
  if (code !== undefined && Object.hasOwn(ADDON_ERROR_CODES, code)) {
    const known = code as keyof typeof ADDON_ERROR_CODES;
    const required = ADDON_ERROR_CODES[known];
    const details = answer.details ?? {};
    if (required === undefined || typeof details[required] === 'string') {
      return new GatehouseError(known, { message: answer.message, details: { ...details, addon: addon.name } as never });
    }
  }
  return new GatehouseError('internal_error', { cause: new Error(`the ${addon.name} add-on failed ${tool}: ${answer.message}`) });
}
