import { z } from 'zod';
import { defineAddonTool } from '../../../src/tools/define-addon-tool.js';
import type { ToolDefinition } from '../../../src/tools/define-tool.js';

/** The add-on that serves this tool; the server declares it in `policy.addons` (see `MAILROOM_ADDONS`). */
export const DESKTOP_ADDON = 'desktop';

/**
 * `preview_on_device`: served by the Mailroom Desktop add-on on the user's
 * own machine (examples/addon/desktop-addon.ts), not by the server (B-POL-07).
 * With no add-on connected, the call answers `addon_disconnected`.
 */
export function devicePreviewTools(): ToolDefinition[] {
  return [
    defineAddonTool({
      name: 'preview_on_device',
      addon: DESKTOP_ADDON,
      scope: 'mcp:read',
      title: 'Preview a campaign on a device',
      description:
        "Renders an email campaign's subject and body the way a phone (36 columns) or a tablet (64 columns) shows them, as word-wrapped plain text. " +
        'Runs in the Mailroom Desktop add-on on your computer; if it is not running, the answer says how to start it.',
      input: z.object({
        subject: z.string().min(1).max(998).describe('The subject line, as in get_campaign'),
        body: z.string().max(200_000).describe('The body: plain text, or the HTML of body_html (tags are dropped, paragraphs kept)'),
        device: z.enum(['phone', 'tablet']).default('phone').describe('The screen to preview on; default phone'),
      }),
      output: z.object({
        device: z.enum(['phone', 'tablet']),
        columns: z.number().int().describe('Characters per line on this device'),
        lines: z.array(z.string()).describe('The preview, line by line: the subject, a rule, then the body'),
        line_count: z.number().int(),
        preview: z.string().describe('The same lines joined with newlines, ready to show in a code block'),
      }),
      annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    }),
  ];
}
