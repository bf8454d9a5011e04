import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { SqlAuditLog, type AuditEntry } from '../../src/index.js';
import { openDatabase } from '../../src/store/database.js';
import type { GatehouseSchema } from '../../src/store/schema.js';
import type { StoreConfig } from '../../src/store/store-config.js';
import { CLI, runCli, runJson } from '../cli/cli-process.js';
import { createTestDatabase } from '../helpers/postgres.js';

const PASSWORD = 'correct horse battery staple';
const dir = mkdtempSync(join(tmpdir(), 'gatehouse-audit-cli-'));
const pg = await createTestDatabase();
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await pg?.drop();
});

interface Target {
  /** Where the CLI finds the store: `--data DIR`, or DATABASE_URL and GATEHOUSE_SECRET. */
  readonly args: string[];
  readonly env: Record<string, string>;
  readonly store: StoreConfig;
}

const targets: [string, Target | undefined][] = [
  ['SQLite', { args: ['--data', dir], env: {}, store: { kind: 'sqlite', file: join(dir, 'gatehouse.sqlite') } }],
  [
    'PostgreSQL',
    pg === undefined ? undefined : { args: [], env: { DATABASE_URL: pg.url, GATEHOUSE_SECRET: randomBytes(32).toString('base64url') }, store: { kind: 'postgres', url: pg.url } },
  ],
];

/** Writes entries into the store as a server would, at the times given. */
async function recordAt(store: StoreConfig, entries: readonly (AuditEntry & { at: number })[]): Promise<void> {
  const database = openDatabase<GatehouseSchema>(store);
  let clock = 0;
  const log = new SqlAuditLog(database.db, { sweepEveryMs: 0, now: () => clock });
  for (const { at, ...entry } of entries) {
    clock = at;
    log.record(entry);
  }
  await log.close();
  await database.close();
}

describe.each(targets)('gatehouse admin audit on %s', (name, target) => {
  const admin = (args: string[], input?: string) => runCli(['admin', ...args, ...(target?.args ?? [])], { env: target?.env ?? {}, ...(input === undefined ? {} : { input }) });
  const adminJson = <T>(args: string[], input?: string) => runJson<T>(['admin', ...args, ...(target?.args ?? [])], { env: target?.env ?? {}, ...(input === undefined ? {} : { input }) });

  it.skipIf(target === undefined)(`B-OPS-02: key create and key revoke in the CLI are audited in the store it opens, and tail filters by user, organization and kind (${name})`, async () => {
    const user = await adminJson<{ id: string }>(['user', 'add', '--email', 'ops@example.com', '--password-stdin'], PASSWORD);
    const org = await adminJson<{ id: string }>(['org', 'add', '--slug', 'initech', '--name', 'Initech']);
    await adminJson(['member', 'add', '--email', 'ops@example.com', '--org', 'initech', '--role', 'member']);
    const key = await adminJson<{ key: string; id: string }>(['key', 'create', '--email', 'ops@example.com', '--name', 'deploy bot']);
    await adminJson(['key', 'revoke', key.id]);

    const all = await adminJson<Record<string, unknown>[]>(['audit', 'tail']);
    expect(all).toEqual([
      expect.objectContaining({ kind: 'key_created', outcome: 'ok', user_id: user.id, organization_id: org.id, credential_id: `key:${key.id}`, detail: { scopes: 'mcp:read mcp:write', expires_at: null, via: 'cli' } }),
      expect.objectContaining({ kind: 'key_revoked', outcome: 'ok', user_id: user.id, organization_id: org.id, credential_id: `key:${key.id}`, detail: { via: 'cli' } }),
    ]);
    expect(all[0]?.at).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    expect(JSON.stringify(all)).not.toContain(key.key);
    expect(JSON.stringify(all)).not.toContain('ops@example.com');

    expect(await adminJson(['audit', 'tail', '--user', 'ops@example.com', '--org', 'initech', '--kind', 'key_revoked'])).toEqual([expect.objectContaining({ kind: 'key_revoked' })]);
    expect(await adminJson(['audit', 'tail', '--user', user.id, '--kind', 'key_created,key_revoked'])).toHaveLength(2);
    expect(await adminJson(['audit', 'tail', '--user', 'usr_nobody'])).toEqual([]);
    const plain = await admin(['audit', 'tail', '--kind', 'key_created']);
    expect(plain.status).toBe(0);
    expect(plain.stdout).toMatch(new RegExp(`^\\d{4}-\\d{2}-\\d{2}T\\S+Z  key_created +ok +user=${user.id} org=${org.id} cred=key:${key.id} scopes=mcp:read mcp:write expires_at=null via=cli\\n$`));

    const badKind = await admin(['audit', 'tail', '--kind', 'logins']);
    expect([badKind.status, badKind.stderr]).toEqual([2, expect.stringContaining('--kind must be one or more')]);
    expect((await admin(['audit', 'tail', '--limit', '0'])).status).toBe(2);
    const noOrg = await admin(['audit', 'tail', '--org', 'nope']);
    expect([noOrg.status, noOrg.stderr]).toEqual([1, expect.stringContaining('No organization nope')]);
  });

  it.skipIf(target === undefined)(`B-OPS-02: export writes a time range in time order as JSON lines or CSV; tail --limit shows the newest, oldest first (${name})`, async () => {
    const t0 = Date.UTC(2025, 5, 1, 12, 0, 0);
    await recordAt(
      target!.store,
      [0, 1, 2, 3, 4].map((i) => ({
        at: t0 + i * 60_000,
        kind: 'tool_call' as const,
        outcome: i === 2 ? 'insufficient_scope' : 'ok',
        userId: 'usr_export',
        organizationId: 'org_export',
        clientId: i === 1 ? 'https://client.example/a,"b"' : 'mcp_client',
        credentialId: 'grant:g1',
        tool: i === 3 ? '=cmd' : 'list_campaigns',
        durationMs: 10 + i,
        requestId: `req-export-${i}`,
      })),
    );
    const range = ['--from', '2025-06-01T12:01:00Z', '--to', '2025-06-01T12:04:00Z'];

    const jsonl = await admin(['audit', 'export', ...range]);
    expect(jsonl.status, jsonl.stderr).toBe(0);
    const lines = jsonl.stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => l.request_id)).toEqual(['req-export-1', 'req-export-2', 'req-export-3']);
    expect(lines[1]).toEqual({
      id: expect.stringMatching(/^aud_\d{13}/),
      at: '2025-06-01T12:02:00.000Z',
      kind: 'tool_call',
      outcome: 'insufficient_scope',
      user_id: 'usr_export',
      organization_id: 'org_export',
      client_id: 'mcp_client',
      credential_id: 'grant:g1',
      tool: 'list_campaigns',
      duration_ms: 12,
      request_id: 'req-export-2',
      detail: null,
    });

    const csv = await admin(['audit', 'export', ...range, '--format', 'csv', '--outcome', 'ok']);
    expect(csv.status, csv.stderr).toBe(0);
    const rows = csv.stdout.trimEnd().split('\n');
    expect(rows[0]).toBe('id,at,kind,outcome,user_id,organization_id,client_id,credential_id,tool,duration_ms,request_id,detail');
    expect(rows).toHaveLength(3);
    // Quoted per RFC 4180; a value a spreadsheet would run as a formula is defused.
    expect(rows[1]).toMatch(/^aud_[0-9a-z]+,2025-06-01T12:01:00\.000Z,tool_call,ok,usr_export,org_export,"https:\/\/client\.example\/a,""b""",grant:g1,list_campaigns,11,req-export-1,$/);
    expect(rows[2]).toContain(",'=cmd,13,req-export-3,");

    const newest = await adminJson<{ request_id: string }[]>(['audit', 'tail', '--user', 'usr_export', '--limit', '2']);
    expect(newest.map((e) => e.request_id)).toEqual(['req-export-3', 'req-export-4']);

    expect((await admin(['audit', 'export', '--format', 'xml'])).status).toBe(2);
    expect((await admin(['audit', 'export', '--from', '2025-06-02T00:00:00Z', '--to', '2025-06-01T00:00:00Z'])).status).toBe(2);
    expect((await admin(['audit', 'export', '--from', 'yesterday'])).status).toBe(2);
    // A relative start: nothing in the last hour is from 2025.
    expect((await admin(['audit', 'export', '--from', '1h', '--user', 'usr_export'])).stdout).toBe('');
  });

  it.skipIf(target === undefined)(`B-OPS-02: tail --follow prints entries as servers write them and stops cleanly on SIGTERM (${name})`, async () => {
    const child = spawn(process.execPath, [CLI, 'admin', 'audit', 'tail', '--follow', '--kind', 'tool_call', '--json', ...target!.args], { env: { ...process.env, ...target!.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    try {
      await vi.waitFor(() => expect(stderr).toContain('Following the audit log'), { timeout: 15_000, interval: 50 });
      const requestId = randomUUID();
      await recordAt(target!.store, [{ at: Date.now(), kind: 'tool_call', outcome: 'ok', userId: 'usr_follow', tool: 'send_campaign', requestId }]);
      await recordAt(target!.store, [{ at: Date.now(), kind: 'sign_in', outcome: 'ok', userId: 'usr_follow' }]);
      await vi.waitFor(() => expect(stdout).toContain(requestId), { timeout: 10_000, interval: 50 });
      // One JSON object a line; the sign-in is filtered out, and nothing prints twice.
      const lines = stdout.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.every((l) => l.kind === 'tool_call')).toBe(true);
      expect(lines.filter((l) => l.user_id === 'usr_follow')).toEqual([expect.objectContaining({ kind: 'tool_call', user_id: 'usr_follow', tool: 'send_campaign', request_id: requestId })]);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
