import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatehouseError } from '../errors/gatehouse-error.js';
import type { HeaderSource } from '../protocol/classify.js';
import type { InboundRequest, Reply } from './http-message.js';
import { tooLarge } from './web-adapter.js';

function readNodeBody(req: IncomingMessage, limit: number): Promise<string | GatehouseError> {
  const declared = req.headers['content-length'];
  if (declared !== undefined) {
    const length = Number(declared);
    if (!Number.isSafeInteger(length) || length < 0) {
      return Promise.resolve(new GatehouseError('invalid_request', { message: 'Invalid Content-Length header.', details: { field: 'Content-Length' } }));
    }
    // Refuse before reading; Node discards the unread upload.
    if (length > limit) return Promise.resolve(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        resolve(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => resolve(chunks.length === 1 ? (chunks[0] as Buffer).toString('utf8') : Buffer.concat(chunks).toString('utf8')));
    req.once('error', reject);
  });
}

class NodeHeaders implements HeaderSource {
  constructor(private readonly req: IncomingMessage) {}

  get(name: string): string | null {
    const value = this.req.headers[name.toLowerCase()];
    return value === undefined ? null : Array.isArray(value) ? value.join(', ') : value;
  }
}

/**
 * Node's request as the endpoint sees it, without building web-standard
 * objects (the listener's hot path). A class, not an object literal with a
 * getter: V8 gives every such literal its own hidden class, which piles up in
 * old space under load.
 */
class NodeInboundRequest implements InboundRequest {
  readonly method: string;
  readonly headers: HeaderSource;
  #controller: AbortController | undefined;

  constructor(
    private readonly req: IncomingMessage,
    private readonly res: ServerResponse,
  ) {
    this.method = req.method ?? 'GET';
    this.headers = new NodeHeaders(req);
  }

  readBody(limit: number): Promise<string | GatehouseError> {
    return readNodeBody(this.req, limit);
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      const c = new AbortController();
      this.#controller = c;
      const res = this.res;
      if (res.writableFinished) return c.signal;
      // `req` destroys itself once its body is read; the response's socket tells whether the client is still there.
      if (res.destroyed || res.socket === null || res.socket.destroyed) c.abort(new Error('client disconnected'));
      else res.once('close', () => res.writableFinished || c.abort(new Error('client disconnected')));
    }
    return this.#controller.signal;
  }
}

export function fromNodeRequest(req: IncomingMessage, res: ServerResponse): InboundRequest {
  return new NodeInboundRequest(req, res);
}

/** Writes a reply; a streamed body is pumped until it ends or the client goes away. */
export function writeNodeReply(res: ServerResponse, reply: Reply): void {
  res.writeHead(reply.status, reply.headers);
  const body = reply.body;
  if (body === null || typeof body === 'string') {
    res.end(body ?? undefined);
    return;
  }
  res.flushHeaders();
  const reader = body.getReader();
  res.once('close', () => void reader.cancel().catch(() => {}));
  const pump = (): void => {
    reader.read().then(
      ({ done, value }) => {
        if (done) {
          res.end();
          return;
        }
        if (res.write(value)) pump();
        else res.once('drain', pump);
      },
      () => res.destroy(),
    );
  };
  pump();
}
