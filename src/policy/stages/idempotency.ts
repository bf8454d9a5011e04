import { setTimeout as sleep } from 'node:timers/promises';
import { GatehouseError } from '../../errors/gatehouse-error.js';
import type { ToolOutcome } from '../../protocol/tool-invoker.js';
import { isToolResult, toolResult } from '../../tools/tool-result.js';
import type { ContentBlock } from '../../tools/content.js';
import type { IdempotencyStore, KeyState } from '../idempotency-store.js';
import { hashParts, stableHash } from '../stable-hash.js';
import type { Stage, ToolCall } from '../stage.js';

interface Stored {
  readonly value?: unknown;
  readonly result?: { content: readonly ContentBlock[]; structuredContent?: unknown; isError?: boolean; _meta?: Record<string, unknown> };
}

function serialize(value: unknown): string {
  if (!isToolResult(value)) return JSON.stringify({ value } satisfies Stored);
  const { content, structuredContent, isError, _meta } = value;
  return JSON.stringify({ result: { content, structuredContent, isError, _meta } } satisfies Stored);
}

function revive(text: string): unknown {
  const stored = JSON.parse(text) as Stored;
  if (stored.result === undefined) return stored.value;
  const { content, structuredContent, isError, _meta } = stored.result;
  return toolResult({ content, ...(structuredContent === undefined ? {} : { structuredContent }), ...(isError === undefined ? {} : { isError }), ...(_meta === undefined ? {} : { _meta }) });
}

/**
 * Idempotent tools (B-POL-03): the first call with a key runs and its result
 * is kept for `ttlMs`; a repeat gets that result without running, even while
 * the first is still running (it waits); the same key with other arguments
 * is `idempotency_conflict`. A run that fails lets the key go, so a retry can
 * succeed. Runs before the cost limit and the breaker: a replay costs nothing
 * and is answered even while the tool is paused.
 */
export function idempotencyStage(store: IdempotencyStore, options: { readonly waitMs: number; readonly pollMs?: number }): Stage {
  const claimed = new WeakMap<ToolCall, string>();
  const pollMs = options.pollMs ?? 50;

  const conflict = (key: string) =>
    new GatehouseError('idempotency_conflict', {
      message: 'This idempotency key was already used for a call with different arguments; nothing was run. Use a new key for a new operation.',
      details: { idempotency_key: key },
    });

  async function settle(call: ToolCall, scopeKey: string, argsHash: string, key: string): Promise<GatehouseError | ToolOutcome | undefined> {
    const deadline = Date.now() + options.waitMs;
    let state: KeyState | { kind: 'claimed' } = await store.claim(scopeKey, argsHash);
    for (;;) {
      if (state.kind === 'claimed') {
        claimed.set(call, scopeKey);
        return undefined;
      }
      if (state.kind === 'gone') {
        state = await store.claim(scopeKey, argsHash);
        continue;
      }
      if (state.argsHash !== argsHash) return conflict(key);
      if (state.kind === 'done') return { kind: 'value', value: revive(state.result) };
      if (Date.now() >= deadline) {
        return new GatehouseError('timeout', { message: 'A call with this idempotency key is still running. Retry with the same key in a moment to get its result.', details: { idempotency_key: key } });
      }
      await sleep(pollMs);
      state = await store.peek(scopeKey);
    }
  }

  return {
    name: 'idempotency',
    before(call) {
      const key = call.idempotencyKey;
      if (call.tool.definition.idempotent !== true || key === undefined) return undefined;
      const ctx = call.context;
      const scopeKey = hashParts(ctx.organization?.id ?? '', ctx.principal.userId, call.tool.name, key);
      return settle(call, scopeKey, stableHash(call.input), key);
    },
    after(call, outcome) {
      const scopeKey = claimed.get(call);
      if (scopeKey === undefined) return undefined;
      claimed.delete(call);
      const done = call.ran && outcome.kind === 'value' ? store.complete(scopeKey, serialize(outcome.value)) : store.release(scopeKey);
      return done.then(() => undefined);
    },
  };
}
