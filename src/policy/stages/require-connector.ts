import { GatehouseError } from '../../errors/gatehouse-error.js';
import type { ConnectorState } from '../../tenancy/connectors.js';
import type { Stage } from '../stage.js';

/** What the stage knows of each declared connector. */
export interface ConnectorInfo {
  readonly title: string;
  readonly actionUrl: string;
}

/**
 * A tool that needs an integration runs only while the organization has it
 * connected and unexpired (B-POL-06); the refusal links to the page that fixes it.
 */
export function requireConnectorStage(
  state: (organizationId: string, connector: string) => ConnectorState | Promise<ConnectorState>,
  connectors: Readonly<Record<string, ConnectorInfo>>,
): Stage {
  const judge = (name: string, s: ConnectorState): GatehouseError | undefined => {
    if (s.status === 'connected') return undefined;
    const info = connectors[name] ?? { title: name, actionUrl: '' };
    if (s.status === 'expired') {
      return new GatehouseError('connector_expired', {
        message: `The ${info.title} connection expired on ${new Date(s.expiresAt).toISOString()}. Re-authorize it at the action_url, then retry.`,
        details: { connector: name, action_url: info.actionUrl },
      });
    }
    return new GatehouseError('connector_required', {
      message: `This tool needs ${info.title}, which this organization has not connected. Connect it at the action_url, then retry.`,
      details: { connector: name, action_url: info.actionUrl },
    });
  };
  return {
    name: 'require-connector',
    before(call) {
      const name = call.tool.definition.connector;
      const org = call.context.organization;
      if (name === undefined || org === null) return undefined;
      const current = state(org.id, name);
      return current instanceof Promise ? current.then((s) => judge(name, s)) : judge(name, current);
    },
  };
}
