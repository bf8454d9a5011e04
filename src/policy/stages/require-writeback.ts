import { GatehouseError } from '../../errors/gatehouse-error.js';
import type { OrganizationPolicySettings } from '../../tenancy/organization-settings.js';
import type { Stage } from '../stage.js';

/**
 * Tools that write to a third party need the organization's write-back
 * setting on (B-POL-05). The scope and admin role they also need are
 * checked by `authorize`, from the write-back defaults applied at start-up.
 */
export function requireWritebackStage(settings: (organizationId: string) => OrganizationPolicySettings | Promise<OrganizationPolicySettings>, settingsUrl: string): Stage {
  const refuse = (writesTo: string): GatehouseError =>
    new GatehouseError('writeback_disabled', {
      message: `Writing to ${writesTo} is turned off for this organization. An admin can turn on MCP write-back in Settings → Privacy & MCP.`,
      details: { action_url: settingsUrl, writes_to: writesTo },
    });
  return {
    name: 'require-writeback',
    before(call) {
      const writesTo = call.tool.definition.writesTo;
      const org = call.context.organization;
      if (writesTo === undefined || org === null) return undefined;
      const current = settings(org.id);
      if (current instanceof Promise) return current.then((s) => (s.writeback ? undefined : refuse(writesTo)));
      return current.writeback ? undefined : refuse(writesTo);
    },
  };
}
