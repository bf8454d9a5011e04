import type { Kysely } from 'kysely';
import type { ChangeNotices } from '../store/change-notices.js';
import type { GatehouseSchema } from '../store/schema.js';
import type { SecretBox } from '../store/secret-box.js';

/** Where one of an organization's integrations stands (B-POL-06). */
export type ConnectorState =
  | { readonly status: 'missing' }
  | { readonly status: 'connected'; readonly connectedAt: number; readonly expiresAt: number | null }
  | { readonly status: 'expired'; readonly connectedAt: number; readonly expiresAt: number };

/** One listed integration of an organization. */
export interface ConnectorListing {
  readonly connector: string;
  readonly state: ConnectorState;
}

type Row = { connected_at: number; expires_at: number | null };

/**
 * The organization's integrations: which are connected, which expired. A
 * connection's credential (the integration's token) is sealed at rest with
 * the server secret. Reads are cached per organization for `ttlMs` and
 * dropped in every process when a connector notice names it.
 */
export class ConnectorRegistry {
  readonly #cache = new Map<string, { rows: ReadonlyMap<string, Row>; until: number }>();

  constructor(
    private readonly db: Kysely<GatehouseSchema>,
    private readonly box: SecretBox | undefined,
    private readonly notices?: ChangeNotices,
    private readonly ttlMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {
    notices?.subscribe('connector', (organizationId) => this.#cache.delete(organizationId));
  }

  /** The state of one integration; synchronous while the organization's entry is fresh. */
  state(organizationId: string, connector: string): ConnectorState | Promise<ConnectorState> {
    const hit = this.#cache.get(organizationId);
    if (hit !== undefined && hit.until > this.now()) return this.#stateOf(hit.rows.get(connector));
    return this.#load(organizationId).then((rows) => this.#stateOf(rows.get(connector)));
  }

  async list(organizationId: string, names: readonly string[]): Promise<ConnectorListing[]> {
    const rows = await this.#load(organizationId);
    return names.map((connector) => ({ connector, state: this.#stateOf(rows.get(connector)) }));
  }

  /** Connects (or re-authorizes) an integration. `expiresAt` is epoch ms; `credential` is sealed before it is stored. */
  async connect(organizationId: string, connector: string, options: { expiresAt?: number | null; credential?: string; by?: string } = {}): Promise<void> {
    if (options.credential !== undefined && this.box === undefined) throw new Error('connector credentials need the server secret');
    const row = {
      organization_id: organizationId,
      connector,
      connected_by: options.by ?? null,
      connected_at: this.now(),
      expires_at: options.expiresAt ?? null,
      sealed_credential: options.credential === undefined || this.box === undefined ? null : this.box.seal(options.credential),
    };
    await this.db
      .insertInto('connectors')
      .values(row)
      .onConflict((oc) => oc.columns(['organization_id', 'connector']).doUpdateSet({ connected_by: row.connected_by, connected_at: row.connected_at, expires_at: row.expires_at, sealed_credential: row.sealed_credential }))
      .execute();
    await this.#changed(organizationId);
  }

  /** Returns false when it was not connected. */
  async disconnect(organizationId: string, connector: string): Promise<boolean> {
    const result = await this.db.deleteFrom('connectors').where('organization_id', '=', organizationId).where('connector', '=', connector).executeTakeFirst();
    await this.#changed(organizationId);
    return Number(result.numDeletedRows) > 0;
  }

  /** The integration's credential, for the product's tool handlers; `undefined` when none is stored. */
  async credential(organizationId: string, connector: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('connectors').select('sealed_credential').where('organization_id', '=', organizationId).where('connector', '=', connector).executeTakeFirst();
    return row?.sealed_credential === undefined || row.sealed_credential === null || this.box === undefined ? undefined : this.box.open(row.sealed_credential);
  }

  #stateOf(row: Row | undefined): ConnectorState {
    if (row === undefined) return { status: 'missing' };
    const connectedAt = Number(row.connected_at);
    const expiresAt = row.expires_at === null ? null : Number(row.expires_at);
    if (expiresAt !== null && expiresAt <= this.now()) return { status: 'expired', connectedAt, expiresAt };
    return { status: 'connected', connectedAt, expiresAt };
  }

  async #load(organizationId: string): Promise<ReadonlyMap<string, Row>> {
    const rows = await this.db.selectFrom('connectors').select(['connector', 'connected_at', 'expires_at']).where('organization_id', '=', organizationId).execute();
    const map = new Map(rows.map((r) => [r.connector, { connected_at: r.connected_at, expires_at: r.expires_at }]));
    this.#cache.set(organizationId, { rows: map, until: this.now() + this.ttlMs });
    return map;
  }

  async #changed(organizationId: string): Promise<void> {
    this.#cache.delete(organizationId);
    await this.notices?.publish('connector', organizationId);
  }
}
