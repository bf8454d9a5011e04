import { expect } from 'vitest';
import { authorize, tokenRequest, type FlowBrowser } from './oauth-flow.js';
import { PASSWORD, type OAuthTestServer } from './oauth-server.js';

export const REDIRECT = 'http://127.0.0.1:9/callback';

export interface Tokens {
  access_token: string;
  refresh_token: string;
  scope: string;
  clientId: string;
}

/** A real sign-in through the built-in authorization server: browser pages, consent, code exchange. */
export async function signIn(target: OAuthTestServer, email: string, o: { organization?: string; browser?: FlowBrowser; onConsent?: (html: string) => void } = {}): Promise<Tokens> {
  const a = await authorize(target.base, { email, password: PASSWORD, redirectUri: REDIRECT, ...o });
  const t = await tokenRequest(target.base, { grant_type: 'authorization_code', code: a.code, client_id: a.clientId, code_verifier: a.verifier, redirect_uri: REDIRECT });
  expect(t.status, JSON.stringify(t.body)).toBe(200);
  return { ...(t.body as unknown as Tokens), clientId: a.clientId };
}

export function refresh(target: OAuthTestServer, t: Tokens) {
  return tokenRequest(target.base, { grant_type: 'refresh_token', refresh_token: t.refresh_token, client_id: t.clientId });
}

/** One JSON-RPC request to /mcp (2025-11-25, no session needed for tools) with a bearer token. */
export async function rpc(target: OAuthTestServer, token: string, method: string, params: Record<string, unknown> = {}): Promise<{ status: number; body: any }> {
  const res = await fetch(target.mcpUrl, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-protocol-version': '2025-11-25' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
}

/** `tools/call`, returning the structured result (or the error object of an isError result) and whether it failed. */
export async function callTool(target: OAuthTestServer, token: string, name: string, args: Record<string, unknown> = {}): Promise<{ status: number; isError: boolean; out: any; body: any }> {
  const r = await rpc(target, token, 'tools/call', { name, arguments: args });
  const result = r.body?.result;
  return { status: r.status, isError: result?.isError === true, out: result?.structuredContent, body: r.body };
}

export async function toolNames(target: OAuthTestServer, token: string): Promise<string[]> {
  const r = await rpc(target, token, 'tools/list');
  return (r.body.result.tools as { name: string }[]).map((t) => t.name);
}
