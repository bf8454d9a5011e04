import { GatehouseError } from '../errors/gatehouse-error.js';

/** Why no add-on answered a call. */
export type AddonAbsence = 'not_connected' | 'tool_not_served' | 'busy' | 'dropped';

/** What an `addon_disconnected` error names: the add-on and where the user starts it. */
export interface AddonRef {
  readonly name: string;
  readonly title: string;
  readonly actionUrl: string;
}

/**
 * The one `addon_disconnected` error (B-POL-07), worded for each way a call
 * can find no add-on, so the person reading it knows which program to start.
 */
export function addonDisconnected(addon: AddonRef, why: AddonAbsence, tool: string): GatehouseError<'addon_disconnected'> {
  const message = {
    not_connected: `The tool ${tool} runs in the ${addon.title} add-on, which is not connected for you. Start ${addon.title} and sign it in (see action_url), then retry.`,
    tool_not_served: `The connected ${addon.title} add-on does not serve ${tool}; it may be an old version. Update it (see action_url), then retry.`,
    busy: `The ${addon.title} add-on has too many calls in flight. Retry in a few seconds.`,
    dropped: `The ${addon.title} add-on disconnected before answering, so ${tool} may or may not have run there. Check that ${addon.title} shows connected, then retry.`,
  }[why];
  return new GatehouseError('addon_disconnected', { message, details: { addon: addon.name, action_url: addon.actionUrl } });
}
