import type { Kysely } from 'kysely';
import type { Adapter, AdapterPayload } from 'oidc-provider';
import type { GatehouseSchema, OidcPayloadRow } from '../../store/schema.js';

export interface OidcAdapterOptions {
  /** Seconds during which a just-rotated refresh token may be presented again (concurrent refreshes). Default 30. */
  readonly refreshGraceSeconds: number;
  /** Epoch milliseconds; injectable for tests. */
  readonly now?: () => number;
}

/**
 * oidc-provider's storage on Gatehouse's store, one table for every model,
 * so a restart loses no client, grant or session. Includes the grace window
 * for refresh-token rotation: within it a just-rotated token is accepted again
 * (two tabs refreshing at once); after it, reuse is reuse and oidc-provider
 * revokes the whole family.
 */
export function createOidcAdapter(db: Kysely<GatehouseSchema>, options: OidcAdapterOptions): new (model: string) => Adapter {
  const now = options.now ?? Date.now;
  const graceMs = options.refreshGraceSeconds * 1000;

  function hydrate(model: string, row: Pick<OidcPayloadRow, 'payload' | 'consumed_at'> | undefined): AdapterPayload | undefined {
    if (row === undefined) return undefined;
    const payload = JSON.parse(row.payload) as AdapterPayload;
    if (row.consumed_at !== null) {
      if (model === 'RefreshToken' && now() - row.consumed_at <= graceMs) return payload;
      payload.consumed = Math.floor(row.consumed_at / 1000);
    }
    return payload;
  }

  return class SqlAdapter implements Adapter {
    constructor(private readonly model: string) {}

    async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
      const row = {
        model: this.model,
        id,
        payload: JSON.stringify(payload),
        grant_id: payload.grantId ?? null,
        uid: payload.uid ?? null,
        user_code: payload.userCode ?? null,
        expires_at: typeof expiresIn === 'number' ? now() + expiresIn * 1000 : null,
      };
      await db
        .insertInto('oidc_payloads')
        .values({ ...row, consumed_at: null })
        .onConflict((oc) =>
          oc.columns(['model', 'id']).doUpdateSet({ payload: row.payload, grant_id: row.grant_id, uid: row.uid, user_code: row.user_code, expires_at: row.expires_at }),
        )
        .execute();
    }

    async find(id: string): Promise<AdapterPayload | undefined> {
      return hydrate(this.model, await this.#live().where('id', '=', id).executeTakeFirst());
    }

    async findByUid(uid: string): Promise<AdapterPayload | undefined> {
      return hydrate(this.model, await this.#live().where('uid', '=', uid).executeTakeFirst());
    }

    async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
      return hydrate(this.model, await this.#live().where('user_code', '=', userCode).executeTakeFirst());
    }

    async consume(id: string): Promise<void> {
      // Keep the first rotation time: re-presenting within the window must not extend it.
      const at = now();
      await db
        .updateTable('oidc_payloads')
        .set((eb) => ({ consumed_at: eb.fn.coalesce('consumed_at', eb.val(at)) }))
        .where('model', '=', this.model)
        .where('id', '=', id)
        .execute();
    }

    async destroy(id: string): Promise<void> {
      await db.deleteFrom('oidc_payloads').where('model', '=', this.model).where('id', '=', id).execute();
    }

    async revokeByGrantId(grantId: string): Promise<void> {
      await db.deleteFrom('oidc_payloads').where('model', '=', this.model).where('grant_id', '=', grantId).execute();
    }

    #live() {
      return db
        .selectFrom('oidc_payloads')
        .select(['payload', 'consumed_at'])
        .where('model', '=', this.model)
        .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now())]));
    }
  };
}

/** Deletes expired rows; run periodically. */
export async function sweepOidcPayloads(db: Kysely<GatehouseSchema>, now = Date.now()): Promise<number> {
  const result = await db.deleteFrom('oidc_payloads').where('expires_at', '<', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
