import type { InputRequest } from '../tools/input-required.js';
import type { ClientCapabilities } from '../tools/tool-context.js';

function has(caps: ClientCapabilities, path: readonly string[]): boolean {
  let node: unknown = caps;
  for (const key of path) {
    if (typeof node !== 'object' || node === null || !(key in node)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return typeof node === 'object' && node !== null;
}

/**
 * The client capabilities the embedded input requests need that the client
 * did not declare, shaped as `ClientCapabilities` (the `-32021` data), or
 * `undefined` when everything is declared.
 */
export function missingCapabilities(
  requests: Readonly<Record<string, InputRequest>>,
  caps: ClientCapabilities,
): Record<string, Record<string, unknown>> | undefined {
  const missing: Record<string, Record<string, unknown>> = {};
  for (const request of Object.values(requests)) {
    if (request.method === 'elicitation/create') {
      const url = request.params.mode === 'url';
      // A bare `elicitation: {}` declares form mode (backwards compatibility).
      const declaredForm = has(caps, ['elicitation', 'form']) || (has(caps, ['elicitation']) && Object.keys(caps.elicitation ?? {}).length === 0);
      if (url ? !has(caps, ['elicitation', 'url']) : !declaredForm) {
        missing.elicitation = { ...missing.elicitation, [url ? 'url' : 'form']: {} };
      }
    } else if (request.method === 'sampling/createMessage') {
      const needsTools = 'tools' in request.params || 'toolChoice' in request.params;
      if (!has(caps, ['sampling']) || (needsTools && !has(caps, ['sampling', 'tools']))) {
        missing.sampling = needsTools ? { tools: {} } : {};
      }
    } else if (!has(caps, ['roots'])) {
      missing.roots = {};
    }
  }
  return Object.keys(missing).length === 0 ? undefined : missing;
}
