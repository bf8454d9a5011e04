/**
 * B-POL-07 transport limits, on an AddonHub built with small limits and
 * attached to a real listening node server.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { AddonHub } from '../../src/addons/addon-hub.js';
import type { AddonHubOptions } from '../../src/addons/addon-hub-options.js';
import { LocalAuthenticator } from '../../src/auth/local-authenticator.js';
import { ConfigurationError } from '../../src/errors/configuration-error.js';
import { GatehouseError } from '../../src/errors/gatehouse-error.js';
import { hostPolicy } from '../../src/http/edge-guards.js';
import { createLogger } from '../../src/log/create-logger.js';
import type { ToolContext } from '../../src/tools/tool-context.js';
import { closeOf, connectAddon, eventually, openSocket } from './addon-client.js';

let running: { hub: AddonHub; server: Server } | undefined;

async function start(options: AddonHubOptions): Promise<{ hub: AddonHub; base: string }> {
  const server = createServer((_req, res) => res.writeHead(404).end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://localhost:${(server.address() as AddressInfo).port}`;
  const hub = new AddonHub({
    addons: { desktop: { title: 'Mailroom Desktop', callTimeoutMs: 5_000 } },
    settingsUrl: `${base}/dashboard/settings`,
    tools: [{ name: 'device_probe', definition: { addon: 'desktop' } }],
    authenticator: new LocalAuthenticator({ organizationId: null }),
    hosts: hostPolicy(new URL(base)),
    logger: createLogger({ level: 'silent' }),
    options,
  });
  hub.attach(server);
  running = { hub, server };
  return { hub, base };
}

function context(signal = new AbortController().signal): ToolContext {
  return { requestId: 'req-1', organization: null, signal } as unknown as ToolContext;
}

afterEach(async () => {
  if (running === undefined) return;
  const { hub, server } = running;
  running = undefined;
  await hub.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('add-on hub limits (B-POL-07)', () => {
  it('B-POL-07 hub options are validated, with a ConfigurationError naming the option', () => {
    expect(() => new AddonHub({ addons: {}, settingsUrl: 'http://x', tools: [], authenticator: new LocalAuthenticator({ organizationId: null }), hosts: hostPolicy(new URL('http://localhost')), logger: createLogger({ level: 'silent' }), options: { heartbeatMs: 1 } })).toThrow(ConfigurationError);
  });

  it('B-POL-07 a connection that sends no hello in time is closed with 4408', async () => {
    const { base } = await start({ helloTimeoutMs: 150 });
    const ws = await openSocket(base, undefined);
    expect(await closeOf(ws)).toEqual({ code: 4408, reason: 'no hello within 150 ms' });
  });

  it('B-POL-07 a message over maxMessageBytes closes the connection with 1009', async () => {
    const { base } = await start({ maxMessageBytes: 1024 });
    const a = await connectAddon(base, undefined);
    a.send({ type: 'result', id: 'c1', result: 'x'.repeat(2_000) });
    expect((await a.closed).code).toBe(1009);
  });

  it('B-POL-07 past maxConnectionsPerUser the oldest connection of that user is closed with 4409', async () => {
    const { hub, base } = await start({ maxConnectionsPerUser: 2 });
    const first = await connectAddon(base, undefined);
    const second = await connectAddon(base, undefined);
    const third = await connectAddon(base, undefined);
    expect((await first.closed).code).toBe(4409);
    await eventually(() => hub.connections().length === 2);
    expect(second.ws.readyState).toBe(second.ws.OPEN);
    expect(third.ws.readyState).toBe(third.ws.OPEN);
  });

  it('B-POL-07 a connection with maxPendingCalls in flight is busy; a caller abort cancels the call at the add-on', async () => {
    const { hub, base } = await start({ maxPendingCalls: 1 });
    const a = await connectAddon(base, undefined);
    const caller = { userId: 'local-developer', organizationId: null };
    const found = hub.find(caller, 'desktop', 'device_probe');
    if (!('link' in found)) throw new Error('no link');
    const controller = new AbortController();
    const pending = found.link.call('device_probe', { text: 'x' }, context(controller.signal));
    const call = await a.next('call');
    expect(hub.find(caller, 'desktop', 'device_probe')).toEqual({ absent: 'busy' });
    controller.abort(new GatehouseError('timeout', { message: 'stopped' }));
    await expect(pending).rejects.toMatchObject({ code: 'timeout', message: 'stopped' });
    expect(await a.next('cancel')).toEqual({ type: 'cancel', id: call.id, reason: 'aborted' });
    expect('link' in hub.find(caller, 'desktop', 'device_probe')).toBe(true);
    expect(hub.find({ userId: 'someone-else', organizationId: null }, 'desktop', 'device_probe')).toEqual({ absent: 'not_connected' });
  });

  it('B-POL-07 heartbeats run on their own: a connection that stops answering pings is dropped', async () => {
    const { hub, base } = await start({ heartbeatMs: 100 });
    const a = await connectAddon(base, undefined, { autoPong: false });
    expect((await a.closed).code).toBe(1006);
    await eventually(() => hub.connections().length === 0);
  });

  it('B-POL-07 an answering connection survives heartbeats', async () => {
    const { hub, base } = await start({ heartbeatMs: 250, recheckMs: 0 });
    const a = await connectAddon(base, undefined);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(a.ws.readyState).toBe(a.ws.OPEN);
    expect(hub.connections()).toHaveLength(1);
  });
});
