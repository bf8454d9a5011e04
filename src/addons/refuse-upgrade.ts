import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { GatehouseError } from '../errors/gatehouse-error.js';
import { encodeHttpError } from '../http/encode-http-error.js';

/**
 * Answers a WebSocket upgrade request with a catalogue error, as a plain HTTP
 * response on the raw socket, and closes it: the client sees the same status
 * and JSON body `/mcp` would send, before any WebSocket exists.
 */
export function refuseUpgrade(socket: Duplex, error: GatehouseError, requestId: string, headers: Readonly<Record<string, string>> = {}): void {
  const reply = encodeHttpError(error, requestId, headers);
  const body = typeof reply.body === 'string' ? reply.body : '';
  const lines = [`HTTP/1.1 ${reply.status} ${STATUS_CODES[reply.status] ?? 'Error'}`];
  const all: Record<string, string> = { ...reply.headers, 'content-length': String(Buffer.byteLength(body)), connection: 'close' };
  // Header values come from the catalogue and the authenticator; strip line breaks anyway so nothing can split the response.
  for (const [name, value] of Object.entries(all)) lines.push(`${name}: ${value.replace(/[\r\n]+/g, ' ')}`);
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  // Flushed, then destroyed: a client that keeps its half open cannot hold the socket.
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`, () => socket.destroy());
}
