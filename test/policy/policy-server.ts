import { z } from 'zod';
import { defineTool, fail, type GatehouseOptions, type ToolDefinition } from '../../src/index.js';
import { PASSWORD, startOAuthServer, type OAuthTestServer } from '../helpers/oauth-server.js';

/** A clock tests move by hand: windows and cool-downs without waiting. */
export class TestClock {
  constructor(public ms = Date.UTC(2026, 10, 22, 9, 0, 0)) {}
  readonly now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

export interface PolicyServer extends OAuthTestServer {
  /** Extra Acme members: carol (admin) and victor (viewer). */
  readonly more: { readonly carol: string; readonly victor: string };
  /** An API key for the user in the organization with the scopes (default: what their role grants). */
  key(userId: string, organizationId: string, scopes?: string[]): Promise<string>;
}

const ROLE_SCOPES: Record<string, string[]> = {
  owner: ['mcp:read', 'mcp:write', 'mcp:admin', 'mcp:read_pii'],
  admin: ['mcp:read', 'mcp:write', 'mcp:admin', 'mcp:read_pii'],
  member: ['mcp:read', 'mcp:write'],
  viewer: ['mcp:read'],
};

/** The OAuth test server with the given tools and options, plus an admin and a viewer in Acme. */
export async function startPolicyServer(tools: ToolDefinition[], extra: Partial<GatehouseOptions> = {}): Promise<PolicyServer> {
  const server = await startOAuthServer({ registrationsPerHour: 1000 }, { tools, ...extra });
  const d = server.gatehouse.auth.directory;
  const carol = await d.createUser({ email: 'carol@example.com', name: 'Carol', password: PASSWORD });
  const victor = await d.createUser({ email: 'victor@example.com', name: 'Victor', password: PASSWORD });
  await d.addMember(carol.id, server.orgs.acme, 'admin');
  await d.addMember(victor.id, server.orgs.acme, 'viewer');
  return {
    ...server,
    more: { carol: carol.id, victor: victor.id },
    key: async (userId, organizationId, scopes) => {
      const role = (await d.roleIn(userId, organizationId)) ?? 'viewer';
      return (await server.gatehouse.auth.apiKeys.create({ userId, organizationId, name: 'policy-test', scopes: scopes ?? ROLE_SCOPES[role] ?? [] })).key;
    },
  };
}

/** Counts handler runs, so a test can prove a refused call never reached the handler. */
export class Runs {
  readonly byTool = new Map<string, number>();
  count(name: string): number {
    return this.byTool.get(name) ?? 0;
  }
  hit(name: string): void {
    this.byTool.set(name, this.count(name) + 1);
  }
}

export function deleteTool(runs: Runs, extra: Partial<Parameters<typeof defineTool>[0]> = {}): ToolDefinition {
  return defineTool({
    name: 'delete_subscriber',
    description: 'Deletes a subscriber for good.',
    input: z.object({ email: z.string() }),
    destructive: { summary: (input) => `Delete the subscriber ${String(input.email)} and their history. This cannot be undone.` },
    scope: 'mcp:write',
    handler: ({ email }) => {
      runs.hit('delete_subscriber');
      return { deleted: email };
    },
    ...extra,
  } as Parameters<typeof defineTool>[0]);
}

export { fail };
