import { pino, type DestinationStream } from 'pino';
import pretty from 'pino-pretty';
import type { Logger } from './logger.js';

export interface LoggerOptions {
  /** Minimum level written. Default `info`. */
  readonly level?: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
  /** `json` (one object per line, for machines) or `pretty` (for people). Default `json`. */
  readonly format?: 'json' | 'pretty';
  /** Where lines go; default stdout. */
  readonly destination?: DestinationStream;
}

/** Paths never written to the log, wherever they appear in a log object. */
const REDACT = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'password',
  '*.password',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'email',
  '*.email',
];

export function createLogger(options: LoggerOptions = {}): Logger {
  const base = {
    level: options.level ?? 'info',
    base: { service: 'gatehouse' },
    redact: { paths: REDACT, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  const destination = options.destination ?? (options.format === 'pretty' ? pretty({ colorize: process.stdout.isTTY, sync: true }) : undefined);
  return destination === undefined ? pino(base) : pino(base, destination);
}
