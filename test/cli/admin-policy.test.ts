import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runJson } from './cli-process.js';

const tempData = () => mkdtempSync(join(tmpdir(), 'gatehouse-admin-policy-'));

describe('gatehouse admin: organization settings and connectors', () => {
  const data = tempData();
  const admin = (...args: string[]) => runCli(['admin', ...args, '--data', data]);

  it('B-POL-05 and B-POL-08: org settings shows write-back off and PII masked by default, and changes them', async () => {
    expect((await admin('org', 'add', '--slug', 'acme', '--name', 'Acme')).status).toBe(0);
    expect(await runJson(['admin', 'org', 'settings', 'acme', '--data', data])).toMatchObject({ organization: 'acme', writeback: 'off', pii_mode: 'masked' });
    const changed = await admin('org', 'settings', 'acme', '--writeback', 'on', '--pii', 'full_default');
    expect(changed.status).toBe(0);
    expect(changed.stdout).toBe('Changed. acme: write-back on, PII mode full_default.\n');
    expect(await runJson(['admin', 'org', 'settings', 'acme', '--data', data])).toMatchObject({ writeback: 'on', pii_mode: 'full_default' });
    expect((await admin('org', 'settings', 'acme', '--writeback', 'yes')).status).toBe(2);
    expect((await admin('org', 'settings', 'acme', '--pii', 'everything')).status).toBe(2);
    expect((await admin('org', 'settings', 'nope')).status).toBe(1);
  });

  it('B-POL-06: connector connect, list (with expiry) and disconnect', async () => {
    const connected = await runJson(['admin', 'connector', 'connect', '--org', 'acme', '--connector', 'crm', '--expires-in', '2h', '--data', data]);
    expect(connected).toMatchObject({ organization: 'acme', connector: 'crm', status: 'connected' });
    expect(await runJson(['admin', 'connector', 'connect', '--org', 'acme', '--connector', 'ads', '--expires-in', 'expired', '--data', data])).toMatchObject({ status: 'expired' });
    const listed = await runJson<{ connector: string; status: string }[]>(['admin', 'connector', 'list', '--org', 'acme', '--data', data]);
    expect(listed.map((c) => [c.connector, c.status])).toEqual([
      ['ads', 'expired'],
      ['crm', 'connected'],
    ]);
    expect((await admin('connector', 'disconnect', '--org', 'acme', '--connector', 'crm')).status).toBe(0);
    const again = await admin('connector', 'disconnect', '--org', 'acme', '--connector', 'crm');
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('crm is not connected for acme');
    expect((await admin('connector', 'connect', '--org', 'acme', '--connector', 'CRM!')).status).toBe(2);
    expect((await admin('connector', 'connect', '--org', 'acme', '--connector', 'crm', '--expires-in', 'soon')).status).toBe(2);
  });
});
