import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { GatehouseSchema } from './schema.js';

/** What changed: an organization's plan, a membership (role), an API key, a grant, an organization's settings or connectors. */
export type NoticeTopic = 'plan' | 'membership' | 'api_key' | 'grant' | 'settings' | 'connector';

type Listener = (subject: string) => void;

/**
 * Change notices between the processes that share one store: the server, the
 * admin CLI beside it, other instances. Publishing writes a row and tells local
 * listeners at once; every process polls for rows it has not seen, so caches
 * everywhere drop a changed plan or role within `pollMs` (B-PLAN-02).
 */
export interface ChangeNotices {
  publish(topic: NoticeTopic, subject: string): Promise<void>;
  /** Calls `listener` with the subject of every notice on `topic`; returns the unsubscribe. */
  subscribe(topic: NoticeTopic, listener: Listener): () => void;
}

export interface SqlChangeNoticesOptions {
  /** How often to look for notices of other processes, ms. Default 1000. */
  readonly pollMs?: number;
  /**
   * How far back each poll looks, ms. Default 30 000: a notice committed late
   * (a slow transaction, a clock a little behind) is still seen; ids already
   * delivered are remembered for the window, so none is delivered twice.
   */
  readonly windowMs?: number;
  readonly now?: () => number;
  /** Told when a poll fails (store down); polling goes on. */
  readonly onError?: (err: unknown) => void;
}

export class SqlChangeNotices implements ChangeNotices {
  readonly #listeners = new Map<NoticeTopic, Set<Listener>>();
  readonly #seen = new Map<string, number>();
  readonly #pollMs: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  #timer: ReturnType<typeof setInterval> | undefined;
  #polling = false;
  #lastSweep = 0;

  constructor(
    private readonly db: Kysely<GatehouseSchema>,
    private readonly options: SqlChangeNoticesOptions = {},
  ) {
    this.#pollMs = options.pollMs ?? 1000;
    this.#windowMs = options.windowMs ?? 30_000;
    this.#now = options.now ?? Date.now;
  }

  async publish(topic: NoticeTopic, subject: string): Promise<void> {
    const id = randomUUID();
    const at = this.#now();
    await this.db.insertInto('change_notices').values({ id, topic, subject, at }).execute();
    this.#seen.set(id, at);
    this.#deliver(topic, subject);
  }

  subscribe(topic: NoticeTopic, listener: Listener): () => void {
    let set = this.#listeners.get(topic);
    if (set === undefined) this.#listeners.set(topic, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Starts polling; notices older than now are taken as already applied. */
  async start(): Promise<void> {
    if (this.#timer !== undefined) return;
    const rows = await this.db.selectFrom('change_notices').select(['id', 'at']).where('at', '>=', this.#now() - this.#windowMs).execute();
    for (const row of rows) this.#seen.set(row.id, row.at);
    this.#timer = setInterval(() => void this.poll(), this.#pollMs);
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** One look for new notices (the timer calls it; tests may too). */
  async poll(): Promise<void> {
    if (this.#polling) return;
    this.#polling = true;
    try {
      const since = this.#now() - this.#windowMs;
      const rows = await this.db.selectFrom('change_notices').selectAll().where('at', '>=', since).orderBy('at').execute();
      for (const row of rows) {
        if (this.#seen.has(row.id)) continue;
        this.#seen.set(row.id, row.at);
        this.#deliver(row.topic as NoticeTopic, row.subject);
      }
      for (const [id, at] of this.#seen) if (at < since) this.#seen.delete(id);
      // Old notices are history nobody reads: keep the table small.
      if (this.#now() - this.#lastSweep > 10 * 60_000) {
        this.#lastSweep = this.#now();
        await this.db.deleteFrom('change_notices').where('at', '<', this.#now() - 3_600_000).execute();
      }
    } catch (err) {
      this.options.onError?.(err);
    } finally {
      this.#polling = false;
    }
  }

  #deliver(topic: NoticeTopic, subject: string): void {
    for (const listener of this.#listeners.get(topic) ?? []) listener(subject);
  }
}
