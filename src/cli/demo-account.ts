import { randomInt } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Directory } from '../tenancy/directory.js';
import { passwordProblem, verifyPassword } from '../tenancy/password.js';

/** An organization of the demo product, mirrored into Gatehouse's directory under the product's own id. */
export interface DemoOrganization {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly plan: string | null;
}

export interface DemoAccount {
  readonly email: string;
  readonly password: string;
  /** Where the password is kept, owner-readable only. */
  readonly file: string;
}

export const DEMO_EMAIL = 'demo@mailroom.example';
const FILE = 'demo-account.txt';
// No 0/o, 1/l/i: the password is read off a terminal and typed into a browser.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** Four groups of five: ~98 bits, easy to read aloud and type. */
export function readablePassword(): string {
  const group = () => Array.from({ length: 5 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
  return [group(), group(), group(), group()].join('-');
}

/** The demo password: generated once into `<data>/demo-account.txt` (mode 0600), then read from there on every start. */
export function loadOrCreateDemoPassword(dataDir: string): { password: string; file: string } {
  const file = join(dataDir, FILE);
  if (existsSync(file)) {
    const password = /^password:\s*(\S+)\s*$/m.exec(readFileSync(file, 'utf8'))?.[1];
    if (password !== undefined && passwordProblem(password) === undefined) {
      chmodSync(file, 0o600);
      return { password, file };
    }
  }
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const password = readablePassword();
  const body = `# The Mailroom demo account of "gatehouse dev". Delete this file to get a new password.\nemail: ${DEMO_EMAIL}\npassword: ${password}\n`;
  writeFileSync(file, body, { mode: 0o600 });
  chmodSync(file, 0o600);
  return { password, file };
}

/** The demo's people besides the owner: one of every other role in Acme, sharing the demo password. */
export const DEMO_TEAM = [
  { email: 'admin@mailroom.example', name: 'Demo Admin', role: 'admin' },
  { email: 'member@mailroom.example', name: 'Demo Member', role: 'member' },
  { email: 'viewer@mailroom.example', name: 'Demo Viewer', role: 'viewer' },
] as const;

/**
 * Makes the directory match the demo, idempotently: the organizations (under
 * the ids the product's data uses), one owner of all of them and one user of
 * every other role in the first, all with the password in the file, so the
 * printed accounts always sign in. Roles and plans changed since are kept.
 */
export async function seedDemoDirectory(directory: Directory, dataDir: string, organizations: readonly DemoOrganization[]): Promise<DemoAccount> {
  for (const org of organizations) {
    if ((await directory.getOrganization(org.id)) === undefined) await directory.createOrganization(org);
  }
  const { password, file } = loadOrCreateDemoPassword(dataDir);
  const ensureUser = async (email: string, name: string) => {
    const user = await directory.findUserByEmail(email);
    if (user === undefined) return directory.createUser({ email, name, password });
    if (!(await verifyPassword(password, user.password_hash))) await directory.setPassword(user.id, password);
    return user;
  };
  const owner = await ensureUser(DEMO_EMAIL, 'Demo Owner');
  for (const org of organizations) {
    if ((await directory.roleIn(owner.id, org.id)) === undefined) await directory.addMember(owner.id, org.id, 'owner');
  }
  const [first] = organizations;
  if (first !== undefined) {
    for (const person of DEMO_TEAM) {
      const user = await ensureUser(person.email, person.name);
      if ((await directory.roleIn(user.id, first.id)) === undefined) await directory.addMember(user.id, first.id, person.role);
    }
  }
  return { email: DEMO_EMAIL, password, file };
}
