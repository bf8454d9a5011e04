/**
 * B-POL-07 with the reference add-on (examples/addon/desktop-addon.ts) as a
 * real process, built into dist by `npm run build` (`npm test` builds first).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderPreview, wrap } from '../../examples/addon/render-preview.js';
import { MAILROOM_ADDONS } from '../../examples/demo/mailroom.js';
import { devicePreviewTools } from '../../examples/demo/tools/device-preview.js';
import { startOAuthServer, whoamiTool, type OAuthTestServer } from '../helpers/oauth-server.js';
import { callTool } from '../helpers/sign-in.js';
import { eventually } from './addon-client.js';

const ADDON = new URL('../../dist/examples/addon/desktop-addon.js', import.meta.url).pathname;

interface AddonProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stderr(): string;
  /** Resolves once stderr contains `text` `times` times. */
  waitFor(text: string, times?: number): Promise<void>;
  readonly exited: Promise<number | null>;
}

function startAddon(env: Record<string, string>): AddonProcess {
  if (!existsSync(ADDON)) throw new Error(`${ADDON} is missing: run \`npm run build\` first (npm test does)`);
  const child = spawn(process.execPath, [ADDON], { env: { ...process.env, ...env } });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  child.stdout.resume();
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return {
    child,
    stderr: () => stderr,
    waitFor: (text, times = 1) => eventually(() => stderr.split(text).length > times, 15_000).catch(() => Promise.reject(new Error(`no "${text}" in: ${stderr}`))),
    exited,
  };
}

const BODY = '<h1>Spring sale</h1><p>Everything in the store is 20% off this weekend, including the new waterproof hiking boots.</p><p>See you soon!<br>The Acme team</p>';

let server: OAuthTestServer;
let key: string;
const processes: AddonProcess[] = [];

beforeAll(async () => {
  server = await startOAuthServer({}, { tools: [whoamiTool, ...devicePreviewTools()], policy: { addons: MAILROOM_ADDONS } });
  key = (await server.gatehouse.auth.apiKeys.create({ userId: server.users.alice, organizationId: server.orgs.acme, name: 'desktop', scopes: ['mcp:read'] })).key;
}, 60_000);
afterAll(async () => {
  for (const p of processes) p.child.kill('SIGKILL');
  await server.close();
});

describe('the reference add-on (B-POL-07)', () => {
  it('B-POL-07 the reference add-on renders a phone preview: subject, a rule, then the body without tags, word-wrapped at 36 columns', () => {
    const preview = renderPreview('Spring sale: 20% off everything in the store this weekend', BODY, 'phone');
    expect(preview.columns).toBe(36);
    for (const line of preview.lines) expect(line.length, line).toBeLessThanOrEqual(36);
    expect(preview.lines.slice(0, 3)).toEqual(['Spring sale: 20% off everything in', 'the store this weekend', '─'.repeat(36)]);
    expect(preview.preview).not.toMatch(/[<>]/);
    expect(preview.lines).toContain('See you soon!');
    expect(preview.lines).toContain('The Acme team');
    expect(preview.line_count).toBe(preview.lines.length);
    expect(wrap('a'.repeat(80), 36)).toEqual(['a'.repeat(36), 'a'.repeat(36), 'a'.repeat(8)]);
  });

  it('B-POL-07 the reference add-on process connects with an API key, serves preview_on_device to an MCP client, reconnects after a disconnect, and its absence answers addon_disconnected', async () => {
    const addon = startAddon({ GATEHOUSE_URL: server.base, GATEHOUSE_API_KEY: key });
    processes.push(addon);
    await addon.waitFor('connected to');
    expect(addon.stderr()).toContain('serving preview_on_device');
    expect(addon.stderr()).not.toContain(key);

    const client = new Client({ name: 'addon-e2e', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(server.mcpUrl), { requestInit: { headers: { authorization: `Bearer ${key}` } } }));
    try {
      const phone = await client.callTool({ name: 'preview_on_device', arguments: { subject: 'Spring sale', body: BODY, device: 'phone' } });
      expect(phone.isError ?? false).toBe(false);
      const out = phone.structuredContent as { device: string; columns: number; lines: string[]; preview: string };
      expect(out).toMatchObject({ device: 'phone', columns: 36 });
      expect(out.lines[0]).toBe('Spring sale');
      for (const line of out.lines) expect(line.length).toBeLessThanOrEqual(36);
      const tablet = await client.callTool({ name: 'preview_on_device', arguments: { subject: 'Spring sale', body: BODY, device: 'tablet' } });
      expect(tablet.structuredContent).toMatchObject({ device: 'tablet', columns: 64 });

      // Disconnected by the server (4000): the add-on reconnects on its own, with backoff.
      const [first] = server.gatehouse.addons.connections();
      server.gatehouse.addons.disconnect(first!.id);
      await addon.waitFor('reconnecting in');
      await addon.waitFor('connected to', 2);
      await eventually(() => server.gatehouse.addons.connections().some((c) => c.id !== first!.id));
      const again = await client.callTool({ name: 'preview_on_device', arguments: { subject: 'Again', body: 'Short body.' } });
      expect(again.structuredContent).toMatchObject({ device: 'phone', lines: ['Again', '─'.repeat(36), 'Short body.'] });
    } finally {
      await client.close();
    }

    addon.child.kill('SIGTERM');
    expect(await addon.exited).toBe(0);
    await eventually(() => server.gatehouse.addons.connections().length === 0);
    const r = await callTool(server, key, 'preview_on_device', { subject: 'x', body: 'y' });
    expect(r.out).toMatchObject({ code: 'addon_disconnected', addon: 'desktop', retryable: true });
    expect(r.out.message).toContain('Start Mailroom Desktop');
  });

  it('B-POL-07 the reference add-on stops with the server\'s reason when its key is refused', async () => {
    const addon = startAddon({ GATEHOUSE_URL: server.mcpUrl, GATEHOUSE_API_KEY: 'gh_revoked-or-mistyped' });
    processes.push(addon);
    expect(await addon.exited).toBe(1);
    expect(addon.stderr()).toContain('refused by the server: HTTP 401 invalid_api_key');
    expect(addon.stderr()).toContain('not reconnecting');
  });
});
