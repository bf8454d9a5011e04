import { randomUUID } from 'node:crypto';
import { Hono, type Context, type Next } from 'hono';
import type { Authenticator } from '../../auth/authenticator.js';
import type { Principal } from '../../auth/principal.js';
import { GatehouseError } from '../../errors/gatehouse-error.js';
import { encodeHttpError } from '../encode-http-error.js';
import { toWebResponse } from '../web-adapter.js';

/** One organization the caller belongs to, as the REST API sees it. */
export interface OrganizationView {
  readonly id: string;
  readonly slug: string;
  readonly name: string;
  readonly role: string;
}

export interface OrganizationRoutesInit {
  readonly authenticator: Authenticator;
  readonly mode: 'pinned' | 'per-call';
  /** The caller's organizations (cached by the server). */
  memberships(userId: string): readonly OrganizationView[] | Promise<readonly OrganizationView[]>;
  /** Plan admission for the organization (plan_required…), when plans are configured. */
  admit(principal: Principal, organizationId: string): GatehouseError | undefined | Promise<GatehouseError | undefined>;
  /** Whether a role may see the member list (the access model's top roles). */
  canListMembers(role: string): boolean;
  /** The organization's plan and members, for the routes below. */
  describe(organizationId: string): Promise<{ plan: string | null; members: { email: string; name: string | null; role: string }[] }>;
}

type Env = { Variables: { principal: Principal; organization: OrganizationView } };

/**
 * REST paths under `/api/v1/organizations/:org/…`. One middleware resolves
 * `:org` (id or slug) for every route below it, so tenancy is enforced in one
 * place: a pinned token naming another organization is `org_mismatch` even if
 * its user belongs to both (B-TEN-04); an organization the caller does not
 * belong to is `not_found` (B-TEN-07).
 */
export function organizationRoutes(init: OrganizationRoutesInit): Hono<Env> {
  const app = new Hono<Env>();
  const fail = (err: GatehouseError, headers: Record<string, string> = {}) => toWebResponse(encodeHttpError(err, randomUUID(), headers));

  app.use('/api/v1/organizations/:org/*', guard);
  app.use('/api/v1/organizations/:org', guard);

  async function guard(c: Context<Env>, next: Next): Promise<Response | void> {
    const pending = init.authenticator.authenticate(c.req.header('authorization') ?? null);
    const principal = pending instanceof Promise ? await pending : pending;
    if (principal instanceof GatehouseError) return fail(principal, { 'www-authenticate': init.authenticator.challenge(principal) });
    const named = c.req.param('org') ?? '';
    const mine = await init.memberships(principal.userId);
    const target = mine.find((o) => o.id === named || o.slug === named);
    if (init.mode === 'pinned' && principal.organizationId !== null && target?.id !== principal.organizationId) {
      const own = mine.find((o) => o.id === principal.organizationId);
      return fail(
        new GatehouseError('org_mismatch', {
          message: `This token is bound to ${own?.name ?? principal.organizationId}; it cannot act in ${named}.`,
          details: { token_organization: own?.slug ?? principal.organizationId, requested_organization: named },
        }),
      );
    }
    if (target === undefined) return fail(new GatehouseError('not_found', { message: 'Organization not found', details: { resource: 'organization', id: named } }));
    const admitted = init.admit(principal, target.id);
    const refusal = admitted instanceof Promise ? await admitted : admitted;
    if (refusal !== undefined) return fail(refusal);
    c.set('principal', principal);
    c.set('organization', target);
    await next();
  }

  app.get('/api/v1/organizations/:org', async (c) => {
    const org = c.get('organization');
    const { plan } = await init.describe(org.id);
    return c.json({ id: org.id, slug: org.slug, name: org.name, plan, role: org.role }, 200, { 'cache-control': 'no-store' });
  });

  app.get('/api/v1/organizations/:org/members', async (c) => {
    const org = c.get('organization');
    if (!init.canListMembers(org.role)) {
      return fail(new GatehouseError('forbidden', { message: `Your role (${org.role}) cannot list members.`, details: { role: org.role } }));
    }
    const { members } = await init.describe(org.id);
    return c.json({ members }, 200, { 'cache-control': 'no-store' });
  });

  return app;
}
