/** A scriptable add-on for the B-POL-07 tests: a real `ws` client speaking the add-on protocol. */
import WebSocket from 'ws';

export interface Received {
  readonly type: string;
  readonly id?: string;
  readonly tool?: string;
  readonly arguments?: any;
  readonly request_id?: string;
  readonly organization_id?: string | null;
  readonly [field: string]: unknown;
}

export interface TestAddon {
  readonly ws: WebSocket;
  /** Every message the server sent, in order. */
  readonly received: Received[];
  /** The server's `welcome`. */
  readonly welcome: Received;
  /** Resolves with the next `call` (or `cancel`) not yet taken. */
  next(type?: 'call' | 'cancel'): Promise<Received>;
  send(message: unknown): void;
  /** Resolves when the socket closes, with the close code and reason. */
  readonly closed: Promise<{ code: number; reason: string }>;
  close(): Promise<void>;
}

export function addonUrl(base: string): string {
  return `${base.replace(/^http/, 'ws')}/addons/connect`;
}

/** Opens a socket and resolves once it is open (no hello sent). */
export function openSocket(base: string, key: string | undefined, options: { autoPong?: boolean; headers?: Record<string, string> } = {}): Promise<WebSocket> {
  const ws = new WebSocket(addonUrl(base), {
    headers: { ...(key === undefined ? {} : { authorization: `Bearer ${key}` }), ...options.headers },
    autoPong: options.autoPong ?? true,
  });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

/** Resolves with the close code and reason of a socket. */
export function closeOf(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString('utf8') })));
}

/**
 * Connects as `addon` and waits for the server's welcome. Calls are answered
 * by `serve` when given (return undefined to leave a call unanswered),
 * otherwise queued for `next()`.
 */
export async function connectAddon(
  base: string,
  key: string | undefined,
  o: { addon?: string; tools?: string[]; autoPong?: boolean; serve?: (call: Received) => unknown } = {},
): Promise<TestAddon> {
  const ws = await openSocket(base, key, o.autoPong === undefined ? {} : { autoPong: o.autoPong });
  const closed = closeOf(ws);
  const received: Received[] = [];
  const queue: Received[] = [];
  const waiting: { type: string | undefined; resolve: (m: Received) => void }[] = [];
  let onWelcome: (m: Received) => void = () => undefined;
  const welcome = new Promise<Received>((resolve, reject) => {
    onWelcome = resolve;
    void closed.then(({ code, reason }) => reject(new Error(`closed before welcome: ${code} ${reason}`)));
  });
  ws.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString('utf8')) as Received;
    received.push(message);
    if (message.type === 'welcome') return onWelcome(message);
    if (message.type === 'call' && o.serve !== undefined) {
      const result = o.serve(message);
      if (result !== undefined) ws.send(JSON.stringify({ type: 'result', id: message.id, result }));
      return;
    }
    const at = waiting.findIndex((w) => w.type === undefined || w.type === message.type);
    if (at >= 0) waiting.splice(at, 1)[0]!.resolve(message);
    else queue.push(message);
  });
  ws.send(JSON.stringify({ type: 'hello', addon: o.addon ?? 'desktop', ...(o.tools === undefined ? {} : { tools: o.tools }) }));
  return {
    ws,
    received,
    welcome: await welcome,
    next: (type) => {
      const at = queue.findIndex((m) => type === undefined || m.type === type);
      if (at >= 0) return Promise.resolve(queue.splice(at, 1)[0]!);
      return new Promise((resolve) => waiting.push({ type, resolve }));
    },
    send: (message) => ws.send(JSON.stringify(message)),
    closed,
    close: async () => {
      if (ws.readyState !== WebSocket.CLOSED) ws.close();
      await closed;
    },
  };
}

/** Polls until `check` holds (the server learns of a close a moment after the client). */
export async function eventually(check: () => boolean, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Attempts an upgrade that the server must refuse; resolves with the HTTP answer. */
export function refusedUpgrade(base: string, headers: Record<string, string>, path = '/addons/connect'): Promise<{ status: number; headers: Record<string, unknown>; body: any }> {
  const ws = new WebSocket(`${base.replace(/^http/, 'ws')}${path}`, { headers });
  return new Promise((resolve, reject) => {
    ws.on('unexpected-response', (_req, res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text === '' ? undefined : JSON.parse(text) });
        ws.terminate();
      });
    });
    ws.on('open', () => reject(new Error('the upgrade was accepted')));
    ws.on('error', () => undefined);
  });
}
