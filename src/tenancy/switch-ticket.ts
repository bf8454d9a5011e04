import { createHmac, timingSafeEqual } from 'node:crypto';

/** A signed, short-lived "the next consent of this user selects that organization". */
export interface SwitchTicket {
  readonly userId: string;
  readonly organizationId: string;
  /** Expiry, epoch ms. */
  readonly expiresAt: number;
}

const mac = (secret: string, body: string) => createHmac('sha256', secret).update(`switch-organization\0${body}`).digest('base64url');

export function signSwitchTicket(secret: string, ticket: SwitchTicket): string {
  const body = Buffer.from(JSON.stringify([ticket.userId, ticket.organizationId, ticket.expiresAt])).toString('base64url');
  return `${body}.${mac(secret, body)}`;
}

/** The ticket, if it is ours, intact and not expired. */
export function verifySwitchTicket(secret: string, text: string, now: number = Date.now()): SwitchTicket | undefined {
  const [body, sig, extra] = text.split('.');
  if (body === undefined || sig === undefined || extra !== undefined) return undefined;
  const expected = Buffer.from(mac(secret, body));
  const given = Buffer.from(sig);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
  try {
    const [userId, organizationId, expiresAt] = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as [unknown, unknown, unknown];
    if (typeof userId !== 'string' || typeof organizationId !== 'string' || typeof expiresAt !== 'number' || expiresAt <= now) return undefined;
    return { userId, organizationId, expiresAt };
  } catch {
    return undefined;
  }
}
