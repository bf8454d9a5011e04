import { z } from 'zod';

const KiB = 1024;

/**
 * How the add-on hub runs its WebSocket connections (B-POL-07). The add-ons
 * themselves (title, call time limit, action URL) are declared in
 * `policy.addons`; these are the transport's limits, the same for all of them.
 */
export const addonHubOptionsSchema = z
  .object({
    /** The path add-ons connect to (an HTTP upgrade on the server's own port). Default `/addons/connect`. */
    path: z.string().regex(/^\/[A-Za-z0-9/_.-]*$/).default('/addons/connect'),
    /**
     * Interval of heartbeats, ms: each one pings every connection, drops the
     * ones that did not answer the previous ping, and re-authenticates each
     * connection's credential. Default 30 000.
     */
    heartbeatMs: z.number().int().min(50).max(3_600_000).default(30_000),
    /**
     * After a heartbeat answered from a credential cache, the credential is
     * checked once more this much later, once the cache's background
     * re-validation has landed, so a revocation made in another process ends
     * the connection within one heartbeat. ms; 0 turns the second check off. Default 1 000.
     */
    recheckMs: z.number().int().min(0).max(60_000).default(1_000),
    /** Time a new connection has to send its `hello`, ms. Default 10 000. */
    helloTimeoutMs: z.number().int().min(100).max(600_000).default(10_000),
    /** Largest message an add-on may send, bytes; larger ones close the connection (1009). Default 1 MiB. */
    maxMessageBytes: z.number().int().min(KiB).max(64 * KiB * KiB).default(KiB * KiB),
    /**
     * Connections one user may hold to one add-on. A connection past the limit
     * closes that user's oldest one (4409), so a reconnect loop cannot pile up sockets. Default 5.
     */
    maxConnectionsPerUser: z.number().int().min(1).max(1_000).default(5),
    /** Calls one connection may have in flight; more answer `addon_disconnected` as if it were busy elsewhere. Default 64. */
    maxPendingCalls: z.number().int().min(1).max(10_000).default(64),
  })
  .prefault({});

export type AddonHubOptions = z.input<typeof addonHubOptionsSchema>;
export type ResolvedAddonHubOptions = z.output<typeof addonHubOptionsSchema>;

/** A declared add-on as the hub and the routing stage use it: `policy.addons` with its defaults filled in. */
export interface AddonInfo {
  readonly name: string;
  /** Shown to people and in errors: "Mailroom Desktop". */
  readonly title: string;
  /** How long one routed call may take before it answers `timeout`, ms. */
  readonly callTimeoutMs: number;
  /** Where a user installs or starts the add-on. */
  readonly actionUrl: string;
  /** The tools declared with `addon: name`, in declaration order. */
  readonly tools: readonly string[];
}
