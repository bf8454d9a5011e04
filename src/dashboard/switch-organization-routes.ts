import type { HttpBindings } from '@hono/node-server';
import { Hono, type Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { Directory } from '../tenancy/directory.js';
import { verifySwitchTicket } from '../tenancy/switch-ticket.js';
import { pageHeaders } from './layout.js';
import { messagePage } from './pages/message-page.js';

const COOKIE = 'gh_switch';

/**
 * The organization a recent `switch_organization` link asked the next consent
 * of this user to select, if the link's ticket is still valid.
 */
export function preferredOrganization(c: Context, secret: string, userId: string): string | undefined {
  const text = getCookie(c, COOKIE);
  const ticket = text === undefined ? undefined : verifySwitchTicket(secret, text);
  return ticket?.userId === userId ? ticket.organizationId : undefined;
}

/**
 * `authorization_url` of `reauth_required` (B-TEN-05): the link an agent hands
 * the user. It cannot start an OAuth flow itself (only the client holds the
 * PKCE verifier), so it remembers the target for the next consent in this
 * browser and tells the user to reconnect.
 */
export function switchOrganizationRoutes(init: { secret: string; directory: Directory; product: string; publicUrl: URL }): Hono<{ Bindings: HttpBindings }> {
  const app = new Hono<{ Bindings: HttpBindings }>();
  app.get('/oauth/switch', async (c) => {
    const text = c.req.query('ticket') ?? '';
    const ticket = verifySwitchTicket(init.secret, text);
    const org = ticket === undefined ? undefined : await init.directory.getOrganization(ticket.organizationId);
    if (ticket === undefined || org === undefined) {
      const body = messagePage({
        product: init.product,
        title: 'This link has expired',
        message: 'Switching organizations needs a fresh link.',
        next: 'Ask your assistant to call switch_organization again, then open the new link within 10 minutes.',
        tone: 'error',
      });
      return c.body(body, 400, pageHeaders());
    }
    setCookie(c, COOKIE, text, {
      path: '/oauth',
      httpOnly: true,
      secure: init.publicUrl.protocol === 'https:',
      sameSite: 'Lax',
      maxAge: Math.max(1, Math.floor((ticket.expiresAt - Date.now()) / 1000)),
    });
    const body = messagePage({
      product: init.product,
      title: `Switch to ${org.name}`,
      message: `Your next sign-in from this browser will select ${org.name}.`,
      next: `Now reconnect ${init.product} in your MCP client (for example "Reconnect" or "Authenticate" in its server settings). Approve access for ${org.name}; the client will then act there. Your current connection keeps working in its organization until you do.`,
    });
    return c.body(body, 200, pageHeaders());
  });
  return app;
}
