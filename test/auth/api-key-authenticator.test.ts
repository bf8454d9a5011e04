import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiKeyAuthenticator } from '../../src/auth/api-keys/api-key-authenticator.js';
import { ApiKeyStore } from '../../src/auth/api-keys/api-key-store.js';
import type { Principal } from '../../src/auth/principal.js';
import { GatehouseError } from '../../src/errors/gatehouse-error.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { gatehouseMigrations } from '../../src/store/migrations/index.js';
import type { GatehouseSchema } from '../../src/store/schema.js';
import { Directory } from '../../src/tenancy/directory.js';
import { DEFAULT_ACCESS_MODEL } from '../../src/tenancy/roles.js';

const SECRET = 'a-server-secret-of-at-least-32-characters';
let database: Database<GatehouseSchema>;
let directory: Directory;
let userId: string;
let orgId: string;
let clock = 1_000_000;

beforeAll(async () => {
  database = openDatabase<GatehouseSchema>({ kind: 'sqlite', file: ':memory:' });
  await migrateToLatest(database.db, gatehouseMigrations);
  directory = new Directory(database.db);
  userId = (await directory.createUser({ email: 'ops@example.com' })).id;
  orgId = (await directory.createOrganization({ slug: 'acme', name: 'Acme' })).id;
  await directory.addMember(userId, orgId, 'member');
});
afterAll(() => database.close());

const settle = () => new Promise((r) => setTimeout(r, 20));
const bearer = (key: string) => `Bearer ${key}`;

describe('API key verification cache', () => {
  it('B-AUTH-10: a key revoked by another process (the admin CLI) stops working once the cached verification is re-checked', async () => {
    const serverKeys = new ApiKeyStore(database.db, SECRET, 'gh', () => clock);
    const auth = new ApiKeyAuthenticator(serverKeys, directory, DEFAULT_ACCESS_MODEL, { cacheMs: 30_000, revalidateMs: 5_000 }, () => clock);
    const cliKeys = new ApiKeyStore(database.db, SECRET, 'gh', () => clock);
    const { key, row } = await cliKeys.create({ userId, organizationId: orgId, name: 'ci', scopes: ['mcp:read', 'mcp:write'] });

    expect(await auth.authenticate(bearer(key))).toMatchObject({ kind: 'api_key', userId });
    await cliKeys.revoke(row.id);
    // Within the window the hot path answers from memory, without touching the store.
    clock += 1_000;
    expect(auth.authenticate(bearer(key))).toMatchObject({ kind: 'api_key' });
    // Past it, the next request triggers a background re-check; the one after is refused.
    clock += 5_000;
    void auth.authenticate(bearer(key));
    await settle();
    const after = await auth.authenticate(bearer(key));
    expect(after).toBeInstanceOf(GatehouseError);
    expect((after as GatehouseError).code).toBe('invalid_api_key');
  });

  it("B-AUTH-10: a role change narrows a cached key's scopes at the next re-check", async () => {
    const keys = new ApiKeyStore(database.db, SECRET, 'gh', () => clock);
    const auth = new ApiKeyAuthenticator(keys, directory, DEFAULT_ACCESS_MODEL, { cacheMs: 30_000, revalidateMs: 5_000 }, () => clock);
    const { key } = await keys.create({ userId, organizationId: orgId, name: 'ci', scopes: ['mcp:read', 'mcp:write'] });
    expect([...((await auth.authenticate(bearer(key))) as Principal).scopes]).toEqual(['mcp:read', 'mcp:write']);
    await directory.setRole(userId, orgId, 'viewer');
    clock += 6_000;
    void auth.authenticate(bearer(key));
    await settle();
    expect([...((await auth.authenticate(bearer(key))) as Principal).scopes]).toEqual(['mcp:read']);
    await directory.setRole(userId, orgId, 'member');
  });
});
