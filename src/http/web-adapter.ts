import { GatehouseError } from '../errors/gatehouse-error.js';
import type { InboundRequest, Reply } from './http-message.js';

function tooLarge(limit: number): GatehouseError {
  return new GatehouseError('payload_too_large', { message: `Request body is larger than the ${limit}-byte limit.`, details: { limit_bytes: limit } });
}

/**
 * Reads a web request body up to `limit` bytes. A declared Content-Length
 * over the limit is refused before reading; a chunked body is read until it
 * passes the limit, so an oversized upload never sits whole in memory.
 */
async function readWebBody(request: Request, limit: number): Promise<string | GatehouseError> {
  const declared = request.headers.get('content-length');
  if (declared !== null) {
    const length = Number(declared);
    if (!Number.isSafeInteger(length) || length < 0) {
      return new GatehouseError('invalid_request', { message: 'Invalid Content-Length header.', details: { field: 'Content-Length' } });
    }
    if (length > limit) return tooLarge(limit);
    return request.text();
  }
  if (request.body === null) return '';
  const reader = request.body.getReader() as ReadableStreamDefaultReader<Uint8Array>;
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return tooLarge(limit);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

class WebInboundRequest implements InboundRequest {
  readonly method: string;
  readonly headers: Headers;

  constructor(private readonly request: Request) {
    this.method = request.method;
    this.headers = request.headers;
  }

  readBody(limit: number): Promise<string | GatehouseError> {
    return readWebBody(this.request, limit);
  }

  get signal(): AbortSignal {
    return this.request.signal;
  }
}

export function fromWebRequest(request: Request): InboundRequest {
  return new WebInboundRequest(request);
}

export function toWebResponse(reply: Reply): Response {
  return new Response(reply.body, { status: reply.status, headers: reply.headers });
}

export { tooLarge };
