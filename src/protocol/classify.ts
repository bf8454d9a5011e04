import { GatehouseError } from '../errors/gatehouse-error.js';
import { LOG_LEVELS, type ClientCapabilities, type Implementation, type LogLevel } from '../tools/tool-context.js';
import { decodeHeaderValue } from './header-value.js';
import type { JsonRpcNotification, JsonRpcRequest } from './jsonrpc.js';
import { isRecord } from './method-handler.js';
import { LATEST_LEGACY_VERSION, META, SUPPORTED_VERSIONS, isLegacyVersion, isModernVersion, namesModernEra } from './versions.js';

/** Reads request headers; names are case-insensitive. */
export interface HeaderSource {
  get(name: string): string | null;
}

/** The 2026-07-28 per-request envelope, read from `params._meta`. */
export interface Envelope {
  readonly clientCapabilities: ClientCapabilities;
  readonly clientInfo: Implementation | undefined;
  readonly logLevel: LogLevel | undefined;
}

export type Classification =
  | { readonly ok: true; readonly era: 'modern'; readonly version: string; readonly envelope: Envelope }
  | { readonly ok: true; readonly era: 'legacy'; readonly version: string }
  | { readonly ok: false; readonly error: GatehouseError };

/** Methods whose `Mcp-Name` header repeats a params field. */
const NAME_SOURCE: Readonly<Record<string, 'name' | 'uri'>> = { 'tools/call': 'name', 'prompts/get': 'name', 'resources/read': 'uri' };

function mismatch(detail: string, header: string): Classification {
  return { ok: false, error: new GatehouseError('header_mismatch', { message: `Header mismatch: ${detail}`, details: { header } }) };
}

function envelopeError(key: string, problem: string): Classification {
  return {
    ok: false,
    error: new GatehouseError('invalid_params', {
      message: `Invalid _meta envelope for protocol revision 2026-07-28: ${key}: ${problem}`,
      details: { field: `_meta.${key}`, envelope: { key, problem } },
    }),
  };
}

function readEnvelope(meta: Record<string, unknown>): Envelope | Classification {
  const caps = meta[META.clientCapabilities];
  if (caps === undefined) return envelopeError(META.clientCapabilities, 'missing');
  if (!isRecord(caps)) return envelopeError(META.clientCapabilities, 'must be an object');
  const info = meta[META.clientInfo];
  if (info !== undefined && !(isRecord(info) && typeof info.name === 'string' && typeof info.version === 'string')) {
    return envelopeError(META.clientInfo, 'must be {name, version}');
  }
  const level = meta[META.logLevel];
  if (level !== undefined && !(LOG_LEVELS as readonly unknown[]).includes(level)) return envelopeError(META.logLevel, 'not a log level');
  return {
    clientCapabilities: caps,
    clientInfo: info as Implementation | undefined,
    logLevel: level as LogLevel | undefined,
  };
}

/**
 * Decides which revision a message speaks and checks the transport headers
 * against the body. The body decides (a `_meta` protocol version claim means
 * 2026-07-28); headers are only cross-checked, so a proxy that drops a header
 * cannot change the revision.
 */
export function classify(message: JsonRpcRequest | JsonRpcNotification, headers: HeaderSource): Classification {
  const isRequest = 'id' in message;
  const meta = message.params?._meta;
  const claim = isRecord(meta) && META.protocolVersion in meta ? meta[META.protocolVersion] : undefined;
  const headerVersion = headers.get('mcp-protocol-version')?.trim() || undefined;
  const methodHeader = headers.get('mcp-method') ?? undefined;

  if (claim === undefined) {
    if (message.method === 'initialize' && headerVersion !== undefined && namesModernEra(headerVersion)) {
      return mismatch(`initialize is not part of protocol revision ${headerVersion}; send server/discover with the _meta envelope instead`, 'MCP-Protocol-Version');
    }
    if (headerVersion !== undefined && namesModernEra(headerVersion)) {
      if (!isRequest) return { ok: true, era: 'modern', version: headerVersion, envelope: { clientCapabilities: {}, clientInfo: undefined, logLevel: undefined } };
      return envelopeError('_meta', `the MCP-Protocol-Version header names ${headerVersion}, but the request is missing the required per-request envelope key ${META.protocolVersion}`);
    }
    if (headerVersion !== undefined && !isLegacyVersion(headerVersion) && message.method !== 'initialize') {
      return {
        ok: false,
        error: new GatehouseError('unsupported_protocol_version', {
          message: `Unsupported protocol version: ${headerVersion}`,
          details: { supported: SUPPORTED_VERSIONS, requested: headerVersion },
        }),
      };
    }
    return { ok: true, era: 'legacy', version: headerVersion ?? LATEST_LEGACY_VERSION };
  }

  if (typeof claim !== 'string') return envelopeError(META.protocolVersion, 'must be a string');
  const envelope = readEnvelope(meta as Record<string, unknown>);
  if ('ok' in envelope) return envelope;
  if (headerVersion === undefined) return mismatch(`the body names protocol version ${claim} but the MCP-Protocol-Version header is absent`, 'MCP-Protocol-Version');
  if (headerVersion !== claim) return mismatch(`the body names protocol version ${claim} but the MCP-Protocol-Version header names ${headerVersion}`, 'MCP-Protocol-Version');
  if (methodHeader !== undefined ? methodHeader !== message.method : isRequest) {
    return mismatch(`the body names method ${message.method} but the Mcp-Method header ${methodHeader === undefined ? 'is absent' : `names ${methodHeader}`}`, 'Mcp-Method');
  }
  if (!isModernVersion(claim)) {
    return {
      ok: false,
      error: new GatehouseError('unsupported_protocol_version', {
        message: `Unsupported protocol version: ${claim}`,
        details: { supported: SUPPORTED_VERSIONS, requested: claim },
      }),
    };
  }
  const source = isRequest ? NAME_SOURCE[message.method] : undefined;
  const bodyName = source === undefined ? undefined : message.params?.[source];
  if (typeof bodyName === 'string') {
    const raw = headers.get('mcp-name');
    if (raw === undefined || raw === null) return mismatch(`the body carries params.${source}=${JSON.stringify(bodyName)} but the Mcp-Name header is absent`, 'Mcp-Name');
    const decoded = decodeHeaderValue(raw.trim());
    if (decoded !== bodyName) return mismatch(`Mcp-Name header value ${JSON.stringify(raw)} does not match body value ${JSON.stringify(bodyName)}`, 'Mcp-Name');
  }
  return { ok: true, era: 'modern', version: claim, envelope };
}
