import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** What a sealed state is bound to, so it cannot be replayed elsewhere. */
export interface StateBinding {
  readonly method: string;
  /** Tool or prompt name, or resource URI. */
  readonly name: string;
  readonly credentialId: string;
}

export type OpenedState = { readonly ok: true; readonly state: unknown } | { readonly ok: false };

/**
 * Seals the `requestState` of input-required results. The client holds it,
 * so it is integrity-protected (HMAC-SHA256), expires, and is bound to the
 * caller and the request it belongs to. Any instance with the same key can open it.
 */
export class RequestStateCodec {
  readonly #key: Buffer;
  readonly #ttlMs: number;

  constructor(key: Buffer, ttlMs = 10 * 60_000) {
    if (key.length < 32) throw new RangeError('request-state key must be at least 32 bytes');
    this.#key = key;
    this.#ttlMs = ttlMs;
  }

  seal(state: unknown, binding: StateBinding, now = Date.now()): string {
    const payload = Buffer.from(JSON.stringify({ s: state ?? null, e: now + this.#ttlMs, b: bind(binding) })).toString('base64url');
    return `v1.${payload}.${this.#mac(payload)}`;
  }

  open(token: unknown, binding: StateBinding, now = Date.now()): OpenedState {
    if (typeof token !== 'string') return { ok: false };
    const [version, payload, mac] = token.split('.');
    if (version !== 'v1' || payload === undefined || mac === undefined || token.split('.').length !== 3) return { ok: false };
    const expected = Buffer.from(this.#mac(payload));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false };
    try {
      const data = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { s: unknown; e: number; b: string };
      if (typeof data.e !== 'number' || data.e < now || data.b !== bind(binding)) return { ok: false };
      return { ok: true, state: data.s };
    } catch {
      return { ok: false };
    }
  }

  #mac(payload: string): string {
    return createHmac('sha256', this.#key).update(`v1.${payload}`).digest('base64url');
  }
}

function bind(b: StateBinding): string {
  return createHash('sha256').update(`${b.method}\0${b.name}\0${b.credentialId}`).digest('base64url').slice(0, 22);
}
