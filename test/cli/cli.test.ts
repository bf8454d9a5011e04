import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { CLI, runCli } from './cli-process.js';

const run = (...args: string[]) => runCli(args);

describe('gatehouse CLI', () => {
  it('B-ERR-05: `gatehouse errors --markdown` prints docs/errors.md', async () => {
    const r = await run('errors', '--markdown');
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8'));
  });

  it('usage errors exit 2 with the command help', async () => {
    const r = await run('dev', '--bogus');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("Unknown option '--bogus'");
    expect(r.stderr).toContain('gatehouse dev [--port N]');
    expect((await run('nope')).status).toBe(2);
  });

  it('--help lists the commands, the admin ones with their syntax', async () => {
    const r = await run('--help');
    expect(r.status).toBe(0);
    for (const text of ['dev ', 'errors ', 'admin user add --email E [--name N] --password-stdin', 'admin key create --email E', 'admin key revoke ID']) expect(r.stdout).toContain(text);
    expect((await run('dev', '--help')).stdout).toContain('--insecure-no-auth');
  });

  it('B-SRV-02: dev serves the demo, logs its registration and keeps its data owner-only', async () => {
    const data = mkdtempSync(join(tmpdir(), 'gatehouse-dev-'));
    const child = spawn(process.execPath, [CLI, 'dev', '--insecure-no-auth', '--port', '0', '--data', data], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      let err = '';
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      const until = Date.now() + 15_000;
      while (!/MCP endpoint: (\S+)/.test(err) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
      const url = /MCP endpoint: (\S+)/.exec(err)?.[1];
      expect(url, err).toBeDefined();
      expect(out).toContain('"msg":"MCP server registered at /mcp"');
      const res = await fetch(url!, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      });
      const body = (await res.json()) as { result: { tools: unknown[] } };
      expect(body.result.tools.length).toBeGreaterThanOrEqual(20);
      expect(statSync(join(data, 'gatehouse.sqlite')).mode & 0o077).toBe(0);
      expect(statSync(join(data, 'secret')).mode & 0o077).toBe(0);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
