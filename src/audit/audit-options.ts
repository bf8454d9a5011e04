import { z } from 'zod';

/** The audit log (B-OPS-02). */
export const auditOptionsSchema = z
  .object({
    /** Entries older than this are deleted, days. Default 90. */
    retentionDays: z.number().int().min(1).max(3650).default(90),
    /** How often buffered entries are written, ms. Default 1000. */
    flushMs: z.number().int().min(10).max(60_000).default(1000),
    /** A buffer this full is written at once, entries. Default 500. */
    batchSize: z.number().int().min(1).max(10_000).default(500),
    /** Entries buffered at most while the store is unreachable; older ones are dropped (and counted in the log). Default 50 000. */
    maxBuffered: z.number().int().min(100).max(10_000_000).default(50_000),
  })
  .prefault({});

export type AuditOptions = z.output<typeof auditOptionsSchema>;
