import { GatehouseError } from '../../errors/gatehouse-error.js';
import type { Stage } from '../stage.js';

/**
 * For tools that work on one profile inside the organization: the only
 * profile is filled in; several and none given is `profile_required`,
 * listing them (B-TEN-06).
 */
export function resolveProfileStage(defaultList: (organizationId: string) => Promise<readonly { id: string; name: string }[]>): Stage {
  return {
    name: 'resolve-profile',
    // Synchronous for tools without a profile: the hot path allocates no promise here.
    before: (call) => {
      const profile = call.tool.definition.profile;
      const org = call.context.organization;
      if (profile === undefined || org === null || call.arguments[profile.parameter] !== undefined) return undefined;
      return (profile.list?.(org.id, call.context) ?? defaultList(org.id)).then((profiles) => {
        if (profiles.length === 1) {
          call.arguments = { ...call.arguments, [profile.parameter]: profiles[0]?.id };
          return undefined;
        }
        if (profiles.length === 0) return undefined; // the tool says what is missing, in its own words
        return new GatehouseError('profile_required', {
          message: `This organization has ${profiles.length} profiles: pass ${profile.parameter} with one of them.`,
          details: { profiles: profiles.map((p) => ({ id: p.id, name: p.name })), parameter: profile.parameter },
        });
      });
    },
  };
}
