import type { Kysely } from 'kysely';
import type { GatehouseSchema } from '../store/schema.js';

/** What claiming a key found. */
export type Claim =
  /** The key is new (or expired, or abandoned): this call runs and must `complete` or `release` it. */
  | { readonly kind: 'claimed' }
  /** Another call with the key is still running. */
  | { readonly kind: 'running'; readonly argsHash: string }
  | { readonly kind: 'done'; readonly argsHash: string; readonly result: string };

/** What looking at a key found: its record, or `gone` when the first run failed and let go. */
export type KeyState = Exclude<Claim, { kind: 'claimed' }> | { readonly kind: 'gone' };

/**
 * Idempotency records (B-POL-03). A key is claimed by inserting its row, so of
 * concurrent duplicates — in one process or many sharing the store — exactly
 * one inserts and runs; the others see it running and wait for its result.
 */
export class IdempotencyStore {
  constructor(
    private readonly db: Kysely<GatehouseSchema>,
    private readonly options: {
      /** How long a key and its result are kept, ms. */
      readonly ttlMs: number;
      /** A `running` row older than this was abandoned (its process died): the next call takes it over, ms. */
      readonly abandonAfterMs: number;
      readonly now?: () => number;
    },
  ) {}

  #now(): number {
    return this.options.now?.() ?? Date.now();
  }

  async claim(scopeKey: string, argsHash: string): Promise<Claim> {
    const now = this.#now();
    // Forget an expired record of this key, or a run that was abandoned, before claiming it anew.
    await this.db
      .deleteFrom('idempotency_keys')
      .where('scope_key', '=', scopeKey)
      .where((eb) => eb.or([eb('expires_at', '<=', now), eb.and([eb('state', '=', 'running'), eb('created_at', '<=', now - this.options.abandonAfterMs)])]))
      .execute();
    const inserted = await this.db
      .insertInto('idempotency_keys')
      .values({ scope_key: scopeKey, args_hash: argsHash, state: 'running', result: null, created_at: now, expires_at: now + this.options.ttlMs })
      .onConflict((oc) => oc.column('scope_key').doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) return { kind: 'claimed' };
    const found = await this.peek(scopeKey);
    // Deleted between our insert and our read: the first run let go, so claim again.
    return found.kind === 'gone' ? this.claim(scopeKey, argsHash) : found;
  }

  async peek(scopeKey: string): Promise<KeyState> {
    const row = await this.db.selectFrom('idempotency_keys').select(['args_hash', 'state', 'result']).where('scope_key', '=', scopeKey).executeTakeFirst();
    if (row === undefined) return { kind: 'gone' };
    if (row.state === 'done' && row.result !== null) return { kind: 'done', argsHash: row.args_hash, result: row.result };
    return { kind: 'running', argsHash: row.args_hash };
  }

  async complete(scopeKey: string, result: string): Promise<void> {
    await this.db.updateTable('idempotency_keys').set({ state: 'done', result }).where('scope_key', '=', scopeKey).execute();
  }

  /** The run failed or needs input: let the key go so a retry runs again. */
  async release(scopeKey: string): Promise<void> {
    await this.db.deleteFrom('idempotency_keys').where('scope_key', '=', scopeKey).where('state', '=', 'running').execute();
  }

  async sweep(): Promise<void> {
    await this.db.deleteFrom('idempotency_keys').where('expires_at', '<=', this.#now()).execute();
  }
}
