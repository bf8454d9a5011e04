/**
 * Mailroom Desktop: the reference client-side add-on (B-POL-07, docs/addons.md).
 * It connects out to Gatehouse over WebSocket with the user's API key, says
 * it is the `desktop` add-on, and serves `preview_on_device` for that user
 * from their own machine. It reconnects with backoff when the connection
 * drops, and stops when reconnecting cannot help (a refused key, an unknown
 * add-on name).
 *
 *   GATEHOUSE_URL=http://localhost:8787 GATEHOUSE_API_KEY=mr_… node dist/examples/addon/desktop-addon.js
 *
 * GATEHOUSE_API_KEY may be left out against `gatehouse dev --insecure-no-auth`.
 */
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import { DEVICE_COLUMNS, renderPreview, type Device } from './render-preview.js';

const ADDON = 'desktop';
const VERSION = '1.0.0';
const TOOLS = ['preview_on_device'];
/** Close codes after which reconnecting unchanged cannot help (see ADDON_CLOSE in src/addons/addon-messages.ts). */
const FATAL_CLOSE = new Set([1003, 1009, 4400, 4401, 4404, 4409]);
/** Upgrade refusals a retry cannot fix: bad credential, wrong host or origin, wrong path. */
const FATAL_STATUS = new Set([401, 403, 404]);

export interface DesktopAddonOptions {
  /** Gatehouse's base URL (or its /mcp URL): `http://localhost:8787`. */
  readonly url: string;
  readonly apiKey?: string | undefined;
  /** First reconnect delay, ms; doubles per failed attempt up to `maxDelayMs`. Default 500. */
  readonly minDelayMs?: number;
  /** Longest reconnect delay, ms. Default 30 000. */
  readonly maxDelayMs?: number;
  readonly log?: (line: string) => void;
}

interface Call {
  readonly id: string;
  readonly tool: string;
  readonly arguments: Record<string, unknown>;
}

/** Where the add-on connects: `/addons/connect` on the same host, over ws:// or wss://. */
export function connectUrl(base: string): string {
  const url = new URL('/addons/connect', base);
  if (url.protocol === 'http:') url.protocol = 'ws:';
  if (url.protocol === 'https:') url.protocol = 'wss:';
  return url.href;
}

/** The add-on's answer to one call: the rendered preview, or an error the caller can act on. */
export function answer(call: Call): Record<string, unknown> {
  if (call.tool !== 'preview_on_device') return { type: 'error', id: call.id, message: `this add-on does not serve ${call.tool}` };
  const { subject, body, device = 'phone' } = call.arguments;
  for (const [field, value] of [['subject', subject], ['body', body]] as const) {
    if (typeof value !== 'string') return { type: 'error', id: call.id, code: 'invalid_input', message: `${field} must be text`, details: { field } };
  }
  if (typeof device !== 'string' || !(device in DEVICE_COLUMNS)) {
    return { type: 'error', id: call.id, code: 'invalid_input', message: 'device must be phone or tablet', details: { field: 'device' } };
  }
  return { type: 'result', id: call.id, result: renderPreview(subject as string, body as string, device as Device) };
}

/** Runs the add-on until `stop()` or a fatal refusal; `done` resolves with the exit code. */
export function runDesktopAddon(o: DesktopAddonOptions): { stop(): void; readonly done: Promise<number> } {
  const log = o.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const target = connectUrl(o.url);
  const minDelay = o.minDelayMs ?? 500;
  const maxDelay = o.maxDelayMs ?? 30_000;
  let attempt = 0;
  let stopped = false;
  let socket: WebSocket | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let finish: (code: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => (finish = resolve));

  const end = (code: number) => {
    stopped = true;
    clearTimeout(timer);
    finish(code);
  };
  const retry = () => {
    if (stopped) return;
    // Exponential backoff with jitter, so many add-ons do not reconnect in step after a restart.
    const delay = Math.round(Math.min(maxDelay, minDelay * 2 ** attempt) * (0.5 + Math.random() / 2));
    attempt++;
    log(`reconnecting in ${delay} ms`);
    timer = setTimeout(connect, delay);
  };
  const connect = () => {
    let fatal = false;
    const ws = new WebSocket(target, { headers: o.apiKey === undefined ? {} : { authorization: `Bearer ${o.apiKey}` }, handshakeTimeout: 10_000 });
    socket = ws;
    ws.on('open', () => ws.send(JSON.stringify({ type: 'hello', addon: ADDON, tools: TOOLS, version: VERSION })));
    ws.on('message', (data: Buffer) => {
      let message: { type?: string } & Partial<Call>;
      try {
        message = JSON.parse(data.toString('utf8')) as typeof message;
      } catch {
        return log('ignored a message that is not JSON');
      }
      if (message.type === 'welcome') {
        attempt = 0;
        log(`connected to ${target} as the ${ADDON} add-on; serving ${(message as { tools?: string[] }).tools?.join(', ') ?? 'nothing'}`);
      } else if (message.type === 'call') {
        ws.send(JSON.stringify(answer(message as Call)));
      }
      // `cancel` needs nothing: a preview renders at once.
    });
    ws.on('unexpected-response', (_req, res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      res.on('end', () => {
        const status = res.statusCode ?? 0;
        const body = (() => {
          try {
            return JSON.parse(text) as { code?: string; message?: string };
          } catch {
            return {};
          }
        })();
        log(`refused by the server: HTTP ${status} ${body.code ?? ''} ${body.message ?? ''}`.trim());
        fatal = FATAL_STATUS.has(status);
        ws.terminate();
      });
    });
    ws.on('error', (err) => log(`connection error: ${err.message}`));
    ws.on('close', (code, reason) => {
      if (stopped) return;
      if (code !== 1006 || reason.length > 0) log(`disconnected: ${code} ${reason.toString('utf8')}`.trim());
      if (fatal || FATAL_CLOSE.has(code)) {
        log('not reconnecting: fix the cause above, then start the add-on again');
        return end(1);
      }
      retry();
    });
  };

  connect();
  return {
    stop() {
      end(0);
      socket?.close(1000, 'add-on stopped');
    },
    done,
  };
}

// Run as a program (not when imported by tests).
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const url = process.env.GATEHOUSE_URL;
  if (url === undefined || url === '') {
    process.stderr.write('Set GATEHOUSE_URL (for example http://localhost:8787) and GATEHOUSE_API_KEY.\n');
    process.exit(2);
  }
  const key = process.env.GATEHOUSE_API_KEY;
  const addon = runDesktopAddon({ url, apiKey: key === '' ? undefined : key });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => addon.stop());
  void addon.done.then((code) => {
    process.exitCode = code;
  });
}
