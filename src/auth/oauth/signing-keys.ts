import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import type { Kysely } from 'kysely';
import type { GatehouseSchema } from '../../store/schema.js';
import type { SecretBox } from '../../store/secret-box.js';

export interface SigningKeys {
  /** Private keys for oidc-provider, the signing one first. */
  readonly privateJwks: { keys: JWK[] };
  /** The public half, for verifying access tokens in-process. */
  readonly publicJwks: { keys: JWK[] };
}

/**
 * The authorization server's ES256 signing keys, kept in the store and
 * sealed with the server secret. Created on first start; every instance reads
 * the same set, so a token signed by one verifies on all. If two instances
 * race at first start, both keys are kept and all agree on the same signer
 * (the oldest).
 */
export async function loadSigningKeys(db: Kysely<GatehouseSchema>, box: SecretBox, now: () => number = Date.now): Promise<SigningKeys> {
  let rows = await db.selectFrom('signing_keys').selectAll().orderBy('created_at').orderBy('kid').execute();
  if (rows.length === 0) {
    const { privateKey } = await generateKeyPair('ES256', { extractable: true });
    const jwk = await exportJWK(privateKey);
    const kid = await calculateJwkThumbprint(jwk);
    const full: JWK = { ...jwk, kid, alg: 'ES256', use: 'sig' };
    await db
      .insertInto('signing_keys')
      .values({ kid, sealed_jwk: box.seal(JSON.stringify(full)), created_at: now() })
      .onConflict((oc) => oc.column('kid').doNothing())
      .execute();
    rows = await db.selectFrom('signing_keys').selectAll().orderBy('created_at').orderBy('kid').execute();
  }
  const keys = rows.map((r) => JSON.parse(box.open(r.sealed_jwk)) as JWK);
  return {
    privateJwks: { keys },
    publicJwks: { keys: keys.map(({ d: _d, ...pub }) => pub) },
  };
}
