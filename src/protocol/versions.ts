/**
 * Protocol revisions Gatehouse serves. 2026-07-28 is session-less with a
 * per-request `_meta` envelope; earlier revisions use the initialize handshake.
 */
export const MODERN_VERSIONS = ['2026-07-28'] as const;
export const LEGACY_VERSIONS = ['2025-11-25', '2025-06-18'] as const;

export type ModernVersion = (typeof MODERN_VERSIONS)[number];
export type LegacyVersion = (typeof LEGACY_VERSIONS)[number];
export type ProtocolVersion = ModernVersion | LegacyVersion;

/** Every version, newest first; the list named in `unsupported_protocol_version`. */
export const SUPPORTED_VERSIONS: readonly ProtocolVersion[] = [...MODERN_VERSIONS, ...LEGACY_VERSIONS];

export const LATEST_LEGACY_VERSION: LegacyVersion = '2025-11-25';

/** Reserved `_meta` keys of the 2026-07-28 envelope. */
export const META = {
  protocolVersion: 'io.modelcontextprotocol/protocolVersion',
  clientCapabilities: 'io.modelcontextprotocol/clientCapabilities',
  clientInfo: 'io.modelcontextprotocol/clientInfo',
  logLevel: 'io.modelcontextprotocol/logLevel',
  serverInfo: 'io.modelcontextprotocol/serverInfo',
  subscriptionId: 'io.modelcontextprotocol/subscriptionId',
} as const;

export function isModernVersion(v: string): v is ModernVersion {
  return (MODERN_VERSIONS as readonly string[]).includes(v);
}

export function isLegacyVersion(v: string): v is LegacyVersion {
  return (LEGACY_VERSIONS as readonly string[]).includes(v);
}

/** Whether a version string names the modern era (ISO dates compare as strings). */
export function namesModernEra(v: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(v) && v >= MODERN_VERSIONS[0];
}
