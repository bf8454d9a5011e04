import { normalizeError } from '../errors/error-body.js';
import type { Logger } from '../log/logger.js';
import { isInputRequired, type InputRequired } from '../tools/input-required.js';
import type { RoundResult } from './input-rounds.js';

/**
 * The one place a prompt or resource handler's throw is caught: catalogue
 * errors pass through, anything else becomes `internal_error`.
 */
export async function runHandler<T>(fn: () => T | InputRequired | Promise<T | InputRequired>, logger: Logger): Promise<RoundResult<T>> {
  try {
    const value = await fn();
    return isInputRequired(value) ? { kind: 'input', request: value } : { kind: 'done', value };
  } catch (thrown) {
    const error = normalizeError(thrown);
    if (error.code === 'internal_error') logger.error({ err: thrown }, 'handler failed');
    return { kind: 'error', error };
  }
}
