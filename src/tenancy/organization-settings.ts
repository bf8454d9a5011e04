import type { Kysely } from 'kysely';
import { GatehouseError } from '../errors/gatehouse-error.js';
import type { ChangeNotices } from '../store/change-notices.js';
import type { GatehouseSchema } from '../store/schema.js';

/** `masked`: PII always masked. `full_default`: unmasked for callers with the PII scope who ask (B-POL-08). */
export const PII_MODES = ['masked', 'full_default'] as const;
export type PiiMode = (typeof PII_MODES)[number];

/** The settings of one organization that the tool policy reads. */
export interface OrganizationPolicySettings {
  /** Tools may write to third parties (B-POL-05). Off by default. */
  readonly writeback: boolean;
  readonly piiMode: PiiMode;
}

const DEFAULTS: OrganizationPolicySettings = { writeback: false, piiMode: 'masked' };

/**
 * An organization's write-back and PII settings: cached for `ttlMs` so the
 * stages that read them answer synchronously, and dropped in every process
 * at once when a settings notice names the organization.
 */
export class OrganizationSettings {
  readonly #cache = new Map<string, { settings: OrganizationPolicySettings; until: number }>();

  constructor(
    private readonly db: Kysely<GatehouseSchema>,
    private readonly notices?: ChangeNotices,
    private readonly ttlMs = 60_000,
    private readonly now: () => number = Date.now,
  ) {
    notices?.subscribe('settings', (organizationId) => this.#cache.delete(organizationId));
  }

  /** The cached settings; synchronous while the entry is fresh. An unknown organization reads as the defaults. */
  get(organizationId: string): OrganizationPolicySettings | Promise<OrganizationPolicySettings> {
    const hit = this.#cache.get(organizationId);
    if (hit !== undefined && hit.until > this.now()) return hit.settings;
    return this.read(organizationId).then((settings) => {
      this.#cache.set(organizationId, { settings, until: this.now() + this.ttlMs });
      return settings;
    });
  }

  async read(organizationId: string): Promise<OrganizationPolicySettings> {
    const row = await this.db.selectFrom('organizations').select(['writeback_enabled', 'pii_mode']).where('id', '=', organizationId).executeTakeFirst();
    if (row === undefined) return DEFAULTS;
    return { writeback: Number(row.writeback_enabled) === 1, piiMode: row.pii_mode === 'full_default' ? 'full_default' : 'masked' };
  }

  /** Changes one or both settings; returns false for an unknown organization. */
  async set(organizationId: string, change: Partial<OrganizationPolicySettings>): Promise<boolean> {
    if (change.piiMode !== undefined && !PII_MODES.includes(change.piiMode)) {
      throw new GatehouseError('invalid_input', { message: `PII mode must be one of ${PII_MODES.join(', ')}`, details: { field: 'pii_mode' } });
    }
    const values = {
      ...(change.writeback === undefined ? {} : { writeback_enabled: change.writeback ? 1 : 0 }),
      ...(change.piiMode === undefined ? {} : { pii_mode: change.piiMode }),
      updated_at: this.now(),
    };
    const result = await this.db.updateTable('organizations').set(values).where('id', '=', organizationId).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return false;
    this.#cache.delete(organizationId);
    await this.notices?.publish('settings', organizationId);
    return true;
  }
}
