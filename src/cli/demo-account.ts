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

/**
 * Makes the directory match the demo, idempotently: the organizations (under
 * the ids the product's data uses) and one owner of all of them whose password
 * is the one in the file, so the printed account always signs in.
 */
export async function seedDemoDirectory(directory: Directory, dataDir: string, organizations: readonly DemoOrganization[]): Promise<DemoAccount> {
  for (const org of organizations) {
    if ((await directory.getOrganization(org.id)) === undefined) await directory.createOrganization(org);
  }
  const { password, file } = loadOrCreateDemoPassword(dataDir);
  let user = await directory.findUserByEmail(DEMO_EMAIL);
  if (user === undefined) user = await directory.createUser({ email: DEMO_EMAIL, name: 'Demo Owner', password });
  else if (!(await verifyPassword(password, user.password_hash))) await directory.setPassword(user.id, password);
  for (const org of organizations) {
    if ((await directory.roleIn(user.id, org.id)) === undefined) await directory.addMember(user.id, org.id, 'owner');
  }
  return { email: DEMO_EMAIL, password, file };
}
