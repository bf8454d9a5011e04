import { GatehouseError } from '../../errors/gatehouse-error.js';
import { LOG_LEVELS, type Implementation, type LogLevel } from '../../tools/tool-context.js';
import type { Exchange } from '../exchange.js';
import type { MethodDeps } from '../method-deps.js';
import { invalidParams, isRecord, type MethodTable } from '../method-handler.js';
import { modernResult, serverInfo } from '../modern-result.js';
import type { Outcome } from '../outcome.js';
import { LATEST_LEGACY_VERSION, SUPPORTED_VERSIONS, isLegacyVersion } from '../versions.js';

function implementation(v: unknown): Implementation | undefined {
  return isRecord(v) && typeof v.name === 'string' && typeof v.version === 'string' ? (v as unknown as Implementation) : undefined;
}

/** The handshake and housekeeping methods of both revisions. */
export function lifecycleMethods(deps: MethodDeps): MethodTable {
  const capabilities = deps.registry.capabilities;
  const instructions = deps.server.instructions === undefined ? {} : { instructions: deps.server.instructions };

  async function initialize(params: Readonly<Record<string, unknown>>, ex: Exchange): Promise<Outcome> {
    const requested = params.protocolVersion;
    if (typeof requested !== 'string') return invalidParams('Invalid params: protocolVersion is required', { field: 'protocolVersion' });
    // Version negotiation: echo a version we speak, otherwise offer our latest.
    const protocolVersion = isLegacyVersion(requested) ? requested : LATEST_LEGACY_VERSION;
    const session = await deps.sessions.create({
      credentialId: ex.principal.credentialId,
      protocolVersion,
      clientInfo: implementation(params.clientInfo),
      clientCapabilities: isRecord(params.capabilities) ? params.capabilities : {},
    });
    return {
      kind: 'result',
      result: { protocolVersion, capabilities, serverInfo: serverInfo(deps.server), ...instructions },
      session,
    };
  }

  async function setLevel(params: Readonly<Record<string, unknown>>, ex: Exchange): Promise<Outcome> {
    const level = params.level;
    if (typeof level !== 'string' || !(LOG_LEVELS as readonly string[]).includes(level)) {
      return invalidParams(`Invalid params: level must be one of ${LOG_LEVELS.join(', ')}`, { field: 'level' });
    }
    if (ex.session !== undefined) await deps.sessions.setLogLevel(ex.session.id, level as LogLevel);
    return { kind: 'result', result: {} };
  }

  function listen(params: Readonly<Record<string, unknown>>): Outcome {
    const filter = params.notifications;
    const valid =
      isRecord(filter) &&
      ['toolsListChanged', 'promptsListChanged', 'resourcesListChanged'].every((k) => filter[k] === undefined || typeof filter[k] === 'boolean') &&
      (filter.resourceSubscriptions === undefined ||
        (Array.isArray(filter.resourceSubscriptions) && filter.resourceSubscriptions.every((u) => typeof u === 'string')));
    if (!valid) {
      return {
        kind: 'error',
        origin: 'handler',
        error: new GatehouseError('invalid_params', {
          message: "Invalid params: 'notifications' is required and must be a valid SubscriptionFilter",
          details: { field: 'notifications' },
        }),
      };
    }
    return { kind: 'listen', filter };
  }

  return {
    initialize,
    ping: () => ({ kind: 'result', result: {} }),
    'logging/setLevel': setLevel,
    'server/discover': () => ({
      kind: 'result',
      result: modernResult({ supportedVersions: SUPPORTED_VERSIONS, capabilities, ...instructions }, deps.server, deps.listCache),
    }),
    'subscriptions/listen': listen,
  };
}
