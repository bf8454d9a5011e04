import type { ToolContext } from '../../tools/tool-context.js';
import { addonDisconnected, type AddonAbsence, type AddonRef } from '../addon-disconnected.js';
import type { Stage } from '../stage.js';

/** Whose call it is: a call only ever reaches this user's add-on. */
export interface AddonCaller {
  readonly userId: string;
  /** The organization the call acts in (after tenancy resolution), if any. */
  readonly organizationId: string | null;
}

/** One live add-on connection that can serve a call. */
export interface AddonLink {
  /** Sends the call and settles with the add-on's result, or a catalogue error (`timeout`, `addon_disconnected`…). */
  call(tool: string, input: unknown, ctx: ToolContext): Promise<unknown>;
}

/** What the stage needs from the add-on hub (src/addons): kept to an interface so policy does not know WebSockets. */
export interface AddonRouter {
  describe(addon: string): AddonRef;
  /** The connection that serves `tool` of `addon` for this caller, or why there is none. */
  find(caller: AddonCaller, addon: string, tool: string): { readonly link: AddonLink } | { readonly absent: AddonAbsence };
}

/**
 * Tools an add-on serves (B-POL-07): with one of the caller's add-ons
 * connected, the call is routed to it in place of a handler, under the add-on's
 * own time limit; with none, the call is refused with `addon_disconnected`
 * naming the add-on to start. The lookup keys on the caller's user (and the
 * organization the call acts in), never on anything the arguments say.
 */
export function routeToAddonStage(router: AddonRouter): Stage {
  return {
    name: 'route-to-addon',
    before(call) {
      const addon = call.tool.definition.addon;
      if (addon === undefined) return undefined;
      const caller = { userId: call.context.principal.userId, organizationId: call.context.organization?.id ?? null };
      const found = router.find(caller, addon, call.tool.name);
      if ('absent' in found) return addonDisconnected(router.describe(addon), found.absent, call.tool.name);
      const { link } = found;
      const tool = call.tool.name;
      call.run = (input, ctx) => link.call(tool, input, ctx);
      return undefined;
    },
  };
}
