import type { JsonRpcNotification, JsonRpcRequest } from '../protocol/jsonrpc.js';
import type { Reply } from './http-message.js';
import { SSE_HEADERS, SseStream } from './sse-stream.js';

/**
 * The way back to the client for one request. It answers with one JSON body
 * unless something must be sent before the result (progress, a log message, a
 * server-to-client request); then it switches to SSE (the 2026-07-28 "auto" mode).
 */
export class ResponseChannel {
  #stream: SseStream | undefined;
  #response: Reply | undefined;
  #onStream: ((response: Reply) => void) | undefined;
  readonly #canStream: boolean;
  readonly #headers: Readonly<Record<string, string>>;
  readonly #onCancel: () => void;
  readonly #keepAliveMs: number;

  constructor(options: { canStream: boolean; headers: Readonly<Record<string, string>>; onCancel: () => void; keepAliveMs: number }) {
    this.#canStream = options.canStream;
    this.#headers = options.headers;
    this.#onCancel = options.onCancel;
    this.#keepAliveMs = options.keepAliveMs;
  }

  get canStream(): boolean {
    return this.#canStream;
  }

  /** The SSE response, once something was sent ahead of the result. */
  get response(): Reply | undefined {
    return this.#response;
  }

  /** Resolves with the SSE response the moment the channel switches to streaming. */
  whenStreaming(): Promise<Reply> {
    if (this.#response !== undefined) return Promise.resolve(this.#response);
    return new Promise((resolve) => (this.#onStream = resolve));
  }

  /** Sends a message ahead of the result; dropped when the client cannot take a stream. */
  send(message: JsonRpcNotification | JsonRpcRequest): void {
    if (!this.#canStream) return;
    if (this.#stream === undefined) {
      this.#stream = new SseStream({ keepAliveMs: this.#keepAliveMs, onCancel: this.#onCancel });
      this.#response = { status: 200, headers: { ...SSE_HEADERS, ...this.#headers }, body: this.#stream.body };
      this.#onStream?.(this.#response);
    }
    this.#stream.send(message);
  }

  /** Ends a streaming response with the final message. */
  finish(json: string): void {
    this.#stream?.send(json);
    this.#stream?.close();
  }
}
