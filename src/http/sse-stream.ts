const encoder = new TextEncoder();

export const SSE_HEADERS = {
  'content-type': 'text/event-stream',
  'cache-control': 'no-cache, no-transform',
  // Proxies such as nginx must not buffer a stream of notifications.
  'x-accel-buffering': 'no',
} as const;

/**
 * A server-sent-events response body. Each JSON-RPC message is one
 * `event: message` frame; comments keep idle connections open through proxies.
 */
export class SseStream {
  readonly body: ReadableStream<Uint8Array>;
  #controller!: ReadableStreamDefaultController<Uint8Array>;
  #closed = false;
  #keepAlive: ReturnType<typeof setInterval> | undefined;
  readonly #onCancel: () => void;

  constructor(options: { keepAliveMs?: number; onCancel?: () => void } = {}) {
    this.#onCancel = options.onCancel ?? (() => {});
    this.body = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.#controller = controller;
      },
      cancel: () => {
        this.#finish();
        this.#onCancel();
      },
    });
    const every = options.keepAliveMs ?? 15_000;
    if (every > 0) {
      this.#keepAlive = setInterval(() => this.#write(': keepalive\n\n'), every);
      this.#keepAlive.unref();
    }
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** Sends one JSON-RPC message (object or pre-serialised JSON). */
  send(message: unknown): void {
    const json = typeof message === 'string' ? message : JSON.stringify(message);
    this.#write(`event: message\ndata: ${json}\n\n`);
  }

  close(): void {
    if (this.#closed) return;
    this.#finish();
    this.#controller.close();
  }

  #write(frame: string): void {
    if (this.#closed) return;
    this.#controller.enqueue(encoder.encode(frame));
  }

  #finish(): void {
    this.#closed = true;
    if (this.#keepAlive !== undefined) clearInterval(this.#keepAlive);
  }
}
