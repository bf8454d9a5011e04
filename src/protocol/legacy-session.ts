import type { ClientCapabilities, Implementation, LogLevel } from '../tools/tool-context.js';

/** The state a 2025-11-25 client established with initialize. */
export interface LegacySession {
  readonly id: string;
  /** The credential that created it; a session is never served to another. */
  readonly credentialId: string;
  readonly protocolVersion: string;
  readonly clientInfo: Implementation | undefined;
  readonly clientCapabilities: ClientCapabilities;
  readonly logLevel: LogLevel | undefined;
}

/**
 * Where sessions live. Implementations keep them across restarts and
 * instances; the protocol core only needs these operations.
 */
export interface SessionStore {
  create(session: Omit<LegacySession, 'id' | 'logLevel'>): Promise<LegacySession>;
  /** The session, if it exists, belongs to this credential and has not expired. */
  get(id: string, credentialId: string): Promise<LegacySession | undefined>;
  setLogLevel(id: string, level: LogLevel): Promise<void>;
  delete(id: string): Promise<void>;
}
