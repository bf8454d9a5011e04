/**
 * Multi round-trip requests (MRTR): a tool, prompt or resource that needs
 * something from the user returns `inputRequired(...)`; the client answers and
 * calls again with `inputResponses`. Under 2025-11-25 sessions Gatehouse turns
 * the same result into real server-to-client requests, so handlers are written
 * once for both revisions.
 */

export interface ElicitFormParams {
  readonly mode?: 'form';
  readonly message: string;
  readonly requestedSchema: Record<string, unknown>;
}

export interface ElicitUrlParams {
  readonly mode: 'url';
  readonly message: string;
  readonly url: string;
}

export interface SamplingMessage {
  readonly role: 'user' | 'assistant';
  readonly content: Record<string, unknown>;
}

export interface CreateMessageParams {
  readonly messages: readonly SamplingMessage[];
  readonly maxTokens: number;
  readonly systemPrompt?: string;
  readonly temperature?: number;
  readonly stopSequences?: readonly string[];
  readonly modelPreferences?: Record<string, unknown>;
  readonly includeContext?: 'none' | 'thisServer' | 'allServers';
  readonly metadata?: Record<string, unknown>;
}

export type InputRequest =
  | { readonly method: 'elicitation/create'; readonly params: ElicitFormParams | ElicitUrlParams }
  | { readonly method: 'sampling/createMessage'; readonly params: CreateMessageParams }
  | { readonly method: 'roots/list'; readonly params?: Record<string, never> };

const INPUT_REQUIRED = Symbol.for('gatehouse.inputRequired');

export interface InputRequired {
  readonly [INPUT_REQUIRED]: true;
  readonly inputRequests: Readonly<Record<string, InputRequest>>;
  /** Any JSON value; Gatehouse seals it (HMAC, expiry, bound to caller and method) into `requestState`. */
  readonly state?: unknown;
}

export function inputRequired(options: { inputRequests?: Record<string, InputRequest>; state?: unknown }): InputRequired {
  const inputRequests = options.inputRequests ?? {};
  if (Object.keys(inputRequests).length === 0 && options.state === undefined) {
    throw new TypeError('inputRequired needs at least one input request or a state');
  }
  return { [INPUT_REQUIRED]: true, inputRequests, ...(options.state === undefined ? {} : { state: options.state }) };
}

export function isInputRequired(value: unknown): value is InputRequired {
  return typeof value === 'object' && value !== null && INPUT_REQUIRED in value;
}

/** Builders for the embedded requests. */
export const ask = {
  form(message: string, requestedSchema: Record<string, unknown>): InputRequest {
    return { method: 'elicitation/create', params: { mode: 'form', message, requestedSchema } };
  },
  url(message: string, url: string): InputRequest {
    return { method: 'elicitation/create', params: { mode: 'url', message, url } };
  },
  sample(params: CreateMessageParams): InputRequest {
    return { method: 'sampling/createMessage', params };
  },
  roots(): InputRequest {
    return { method: 'roots/list' };
  },
} as const;

export interface ElicitationResponse {
  readonly action: 'accept' | 'decline' | 'cancel';
  readonly content?: Readonly<Record<string, unknown>>;
}

/** Reads an elicitation answer, or `undefined` when the value is not one. */
export function readElicitation(value: unknown): ElicitationResponse | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (v.action !== 'accept' && v.action !== 'decline' && v.action !== 'cancel') return undefined;
  const content = v.content;
  if (content !== undefined && (typeof content !== 'object' || content === null || Array.isArray(content))) return undefined;
  return { action: v.action, ...(content === undefined ? {} : { content: content as Record<string, unknown> }) };
}

export interface SamplingResponse {
  readonly role: string;
  readonly content: Readonly<Record<string, unknown>>;
  readonly model: string;
  readonly stopReason?: string;
}

export function readSampling(value: unknown): SamplingResponse | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.role !== 'string' || typeof v.model !== 'string' || typeof v.content !== 'object' || v.content === null) return undefined;
  return v as unknown as SamplingResponse;
}

export interface RootsResponse {
  readonly roots: readonly { readonly uri: string; readonly name?: string }[];
}

export function readRoots(value: unknown): RootsResponse | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const roots = (value as Record<string, unknown>).roots;
  if (!Array.isArray(roots)) return undefined;
  const valid = (roots as unknown[]).every((r) => typeof r === 'object' && r !== null && typeof (r as { uri?: unknown }).uri === 'string');
  return valid ? { roots: roots as RootsResponse['roots'] } : undefined;
}
