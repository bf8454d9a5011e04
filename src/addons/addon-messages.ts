/**
 * The add-on wire protocol (docs/addons.md): JSON text messages over one
 * WebSocket, each an object with a `type`. Parsing is strict, because a
 * connection that sends something unexpected is closed with a reason the
 * add-on's author can act on, rather than left half-working.
 */

/** Close codes Gatehouse uses; an add-on decides from them whether reconnecting can help. */
export const ADDON_CLOSE = {
  /** The server is shutting down: reconnect with backoff. */
  goingAway: 1001,
  /** A binary frame: the protocol is JSON text. Do not reconnect unchanged. */
  unsupportedData: 1003,
  /** A message over the size limit (sent by `ws` itself). Do not reconnect unchanged. */
  tooBig: 1009,
  /** Closed by the server operator (`gatehouse.addons.disconnect`): reconnect with backoff. */
  disconnected: 4000,
  /** A malformed or unexpected message. Do not reconnect unchanged. */
  malformed: 4400,
  /** The credential stopped verifying (revoked, expired, the user left the organization). Get a new one. */
  credentialRefused: 4401,
  /** `hello` named an add-on this server does not declare. Do not reconnect unchanged. */
  unknownAddon: 4404,
  /** No `hello` in time: reconnect with backoff. */
  helloTimeout: 4408,
  /** The same user opened more connections to this add-on than allowed; this, the oldest, was closed. */
  replaced: 4409,
} as const;

/** The add-on's first message: which add-on it is and, optionally, which of its tools it serves. */
export interface HelloMessage {
  readonly type: 'hello';
  readonly addon: string;
  /** Tools served; default every tool declared for the add-on. */
  readonly tools?: readonly string[];
  /** The add-on's own version, for the server's log. */
  readonly version?: string;
}

/** The add-on's answer to a `call`. */
export interface ResultMessage {
  readonly type: 'result';
  readonly id: string;
  readonly result: unknown;
}

/**
 * The add-on could not serve a `call`. With a `code` from `ADDON_ERROR_CODES`
 * (and that code's required details) the message is shown to the caller, as
 * `fail(code, …)` in a handler would; without one it is logged and the caller
 * gets `internal_error`, as for a handler that throws.
 */
export interface ErrorMessage {
  readonly type: 'error';
  readonly id: string;
  readonly message: string;
  readonly code?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export type AddonMessage = HelloMessage | ResultMessage | ErrorMessage;

/** What Gatehouse sends: the handshake answer, calls, and cancellations of calls it stopped waiting for. */
export type ServerMessage =
  | { readonly type: 'welcome'; readonly addon: string; readonly tools: readonly string[]; readonly heartbeat_ms: number; readonly call_timeout_ms: number }
  | {
      readonly type: 'call';
      readonly id: string;
      readonly tool: string;
      readonly arguments: unknown;
      readonly request_id: string;
      readonly organization_id: string | null;
    }
  | { readonly type: 'cancel'; readonly id: string; readonly reason: 'timeout' | 'aborted' };

/** Catalogue codes an add-on may answer with, and the detail each one requires. */
export const ADDON_ERROR_CODES = {
  invalid_input: 'field',
  invalid_state: 'resource',
  not_found: 'resource',
  data_unavailable: undefined,
} as const satisfies Record<string, string | undefined>;

export type ParsedMessage = { readonly ok: true; readonly message: AddonMessage } | { readonly ok: false; readonly reason: string };

const MAX_ID = 64;
const MAX_NAME = 128;
const MAX_TOOLS = 256;
const MAX_ERROR_MESSAGE = 2_000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const bad = (reason: string): ParsedMessage => ({ ok: false, reason });

function parseId(m: Record<string, unknown>): string | undefined {
  return typeof m.id === 'string' && m.id !== '' && m.id.length <= MAX_ID ? m.id : undefined;
}

function parseHello(m: Record<string, unknown>): ParsedMessage {
  if (typeof m.addon !== 'string' || m.addon === '' || m.addon.length > MAX_NAME) return bad('hello.addon must be the add-on name');
  if (m.tools !== undefined && (!Array.isArray(m.tools) || m.tools.length > MAX_TOOLS || !m.tools.every((t) => typeof t === 'string' && t !== '' && t.length <= MAX_NAME))) {
    return bad(`hello.tools must be a list of at most ${MAX_TOOLS} tool names`);
  }
  if (m.version !== undefined && (typeof m.version !== 'string' || m.version.length > 64)) return bad('hello.version must be a short string');
  return {
    ok: true,
    message: { type: 'hello', addon: m.addon, ...(m.tools === undefined ? {} : { tools: m.tools as string[] }), ...(m.version === undefined ? {} : { version: m.version }) },
  };
}

function parseError(m: Record<string, unknown>, id: string): ParsedMessage {
  if (typeof m.message !== 'string' || m.message === '') return bad('error.message must be a non-empty string');
  if (m.code !== undefined && typeof m.code !== 'string') return bad('error.code must be a string');
  if (m.details !== undefined && !isRecord(m.details)) return bad('error.details must be an object');
  return {
    ok: true,
    message: {
      type: 'error',
      id,
      message: m.message.slice(0, MAX_ERROR_MESSAGE),
      ...(m.code === undefined ? {} : { code: m.code }),
      ...(m.details === undefined ? {} : { details: m.details }),
    },
  };
}

/** Parses one text frame from an add-on. */
export function parseAddonMessage(text: string): ParsedMessage {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return bad('not JSON');
  }
  if (!isRecord(value) || typeof value.type !== 'string') return bad('expected a JSON object with a "type"');
  if (value.type === 'hello') return parseHello(value);
  if (value.type !== 'result' && value.type !== 'error') return bad(`unknown message type "${value.type.slice(0, 32)}"`);
  const id = parseId(value);
  if (id === undefined) return bad(`${value.type}.id must be the id of a call`);
  if (value.type === 'result') {
    if (!('result' in value)) return bad('result.result is missing');
    return { ok: true, message: { type: 'result', id, result: value.result } };
  }
  return parseError(value, id);
}
