import { normalizeError } from '../errors/error-body.js';
import { GatehouseError } from '../errors/gatehouse-error.js';
import type { InputRequired } from '../tools/input-required.js';
import type { Exchange } from './exchange.js';
import { missingCapabilities } from './required-capabilities.js';
import type { RequestStateCodec, StateBinding } from './request-state-codec.js';

/** One run of a handler given the answers gathered so far. */
export type RoundResult<T> =
  | { readonly kind: 'done'; readonly value: T }
  | { readonly kind: 'input'; readonly request: InputRequired }
  | { readonly kind: 'error'; readonly error: GatehouseError };

export type Round<T> = (inputResponses: Readonly<Record<string, unknown>>, requestState: unknown) => Promise<RoundResult<T>>;

export type RoundsOutcome<T> =
  | Exclude<RoundResult<T>, { readonly kind: 'input' }>
  /** The 2026-07-28 `input_required` result to send back to the client. */
  | { readonly kind: 'input_required'; readonly result: Readonly<Record<string, unknown>> };

/** Legacy sessions answer in-process; bound the loop so a handler cannot ask forever. */
const MAX_LEGACY_ROUNDS = 8;

function responsesFrom(params: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const raw = params.inputResponses;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  // Answers are bare results; anything else is dropped and the handler asks again.
  return Object.fromEntries(Object.entries(raw).filter(([, v]) => typeof v === 'object' && v !== null));
}

function cannotAsk(): GatehouseError {
  return new GatehouseError('missing_client_capability', {
    message:
      'This request needs input from the user, which this connection cannot carry: initialize a 2025-11-25 session that accepts text/event-stream, or use protocol 2026-07-28.',
    details: { requiredCapabilities: {} },
  });
}

/**
 * Runs a handler that may need input from the user (MRTR). Under 2026-07-28
 * the client gets an `input_required` result with a sealed `requestState`;
 * under a 2025-11-25 session Gatehouse asks the client directly and re-runs
 * the handler, so tools are written once for both revisions.
 */
export async function runInputRounds<T>(
  ex: Exchange,
  params: Readonly<Record<string, unknown>>,
  binding: StateBinding,
  codec: RequestStateCodec,
  round: Round<T>,
  /** The first round's result when the caller already ran it. */
  first?: RoundResult<T>,
): Promise<RoundsOutcome<T>> {
  let state: unknown;
  if (params.requestState !== undefined && ex.era === 'modern') {
    const opened = codec.open(params.requestState, binding);
    if (!opened.ok) {
      return {
        kind: 'error',
        error: new GatehouseError('invalid_params', { message: 'Invalid or expired requestState', details: { reason: 'invalid_request_state' } }),
      };
    }
    state = opened.state;
  }
  let result = first ?? (await round(ex.era === 'modern' ? responsesFrom(params) : {}, state));
  for (let i = 0; result.kind === 'input'; i++) {
    const { inputRequests } = result.request;
    const missing = missingCapabilities(inputRequests, ex.client.capabilities);
    if (missing !== undefined) {
      const kinds = [...new Set(Object.values(inputRequests).map((r) => r.method))].join(', ');
      return {
        kind: 'error',
        error: new GatehouseError('missing_client_capability', {
          message: `This request needs ${kinds}, which the client did not declare in its capabilities.`,
          details: { requiredCapabilities: missing },
        }),
      };
    }
    if (ex.era === 'modern') {
      const hasRequests = Object.keys(inputRequests).length > 0;
      return {
        kind: 'input_required',
        result: {
          resultType: 'input_required',
          ...(hasRequests ? { inputRequests } : {}),
          ...(result.request.state === undefined ? {} : { requestState: codec.seal(result.request.state, binding) }),
        },
      };
    }
    if (ex.askClient === undefined || i >= MAX_LEGACY_ROUNDS) return { kind: 'error', error: cannotAsk() };
    let answers: Record<string, unknown> = {};
    try {
      if (Object.keys(inputRequests).length > 0) answers = await ex.askClient(inputRequests);
    } catch (thrown) {
      return { kind: 'error', error: normalizeError(thrown) };
    }
    result = await round(answers, result.request.state);
  }
  return result;
}
