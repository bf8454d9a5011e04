import { GatehouseError } from '../errors/gatehouse-error.js';
import type { Exchange } from './exchange.js';
import type { Outcome } from './outcome.js';

export type MethodHandler = (params: Readonly<Record<string, unknown>>, ex: Exchange) => Outcome | Promise<Outcome>;

export type MethodTable = Readonly<Record<string, MethodHandler>>;

export function resultOutcome(result: Readonly<Record<string, unknown>>): Outcome {
  return { kind: 'result', result };
}

/** A `-32602` refusal of unusable params, before any handler ran. */
export function invalidParams(message: string, details: Record<string, unknown> = {}): Outcome {
  return { kind: 'error', origin: 'handler', error: new GatehouseError('invalid_params', { message, details }) };
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
