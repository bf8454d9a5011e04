import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatehouseError } from '../../src/errors/gatehouse-error.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { migrateToLatest } from '../../src/store/migrate.js';
import { gatehouseMigrations } from '../../src/store/migrations/index.js';
import type { GatehouseSchema } from '../../src/store/schema.js';
import { Directory } from '../../src/tenancy/directory.js';

let database: Database<GatehouseSchema>;
let directory: Directory;
beforeAll(async () => {
  database = openDatabase<GatehouseSchema>({ kind: 'sqlite', file: ':memory:' });
  await migrateToLatest(database.db, gatehouseMigrations);
  directory = new Directory(database.db);
});
afterAll(() => database.close());

describe('local accounts', () => {
  it.each([
    ['too short', 'short-pass', /at least 12 characters/],
    ['two lines', 'first line is long\nsecond', /single line/],
    ['padded', ' padded password ', /white space/],
  ])('B-AUTH-04: a %s password is refused wherever it is set, and nothing is written', async (_name, password, message) => {
    const attempt = directory.createUser({ email: `${_name.replace(/\W/g, '')}@example.com`, password });
    await expect(attempt).rejects.toBeInstanceOf(GatehouseError);
    await expect(attempt).rejects.toMatchObject({ code: 'invalid_input', details: { field: 'password' }, message: expect.stringMatching(message) });
    expect(await directory.findUserByEmail(`${_name.replace(/\W/g, '')}@example.com`)).toBeUndefined();

    const user = await directory.createUser({ email: `ok-${_name.replace(/\W/g, '')}@example.com`, password: 'a long enough passphrase' });
    await expect(directory.setPassword(user.id, password)).rejects.toMatchObject({ code: 'invalid_input' });
    expect((await directory.signIn(user.email, 'a long enough passphrase')).ok).toBe(true);
  });

  it('B-AUTH-04: passwords are stored as scrypt hashes, never as given', async () => {
    const user = await directory.createUser({ email: 'hash@example.com', password: 'a long enough passphrase' });
    expect(user.password_hash).toMatch(/^scrypt\$/);
    expect(user.password_hash).not.toContain('a long enough passphrase');
  });

  it('B-AUTH-04: emails are matched without regard to case or surrounding space', async () => {
    await directory.createUser({ email: 'Case@Example.com', password: 'a long enough passphrase' });
    expect((await directory.signIn('  case@example.COM ', 'a long enough passphrase')).ok).toBe(true);
    await expect(directory.createUser({ email: 'CASE@example.com' })).rejects.toMatchObject({ code: 'invalid_input', details: { field: 'email' } });
  });
});
