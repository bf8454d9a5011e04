import { z } from 'zod';

/**
 * The product's scopes (each with the plain words the consent page shows)
 * and the roles that grant them. Roles are listed from most to least
 * powerful; a token carries only what the role grants at issuance (B-TEN-01).
 */
export const accessModelSchema = z
  .object({
    scopes: z.record(z.string().regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, 'scope names are OAuth scope tokens'), z.string().min(1)),
    roles: z.record(z.string().min(1), z.array(z.string())),
  })
  .superRefine((model, ctx) => {
    for (const [role, scopes] of Object.entries(model.roles)) {
      for (const scope of scopes) {
        if (!(scope in model.scopes)) ctx.addIssue({ code: 'custom', path: ['roles', role], message: `grants unknown scope ${scope}` });
      }
    }
    if (Object.keys(model.roles).length === 0) ctx.addIssue({ code: 'custom', path: ['roles'], message: 'at least one role is needed' });
  });

export type AccessModel = z.output<typeof accessModelSchema>;

export const DEFAULT_ACCESS_MODEL: AccessModel = {
  scopes: {
    'mcp:read': 'Read your organization’s data',
    'mcp:write': 'Create and change your organization’s data',
    'mcp:admin': 'Manage your organization’s settings and members',
    'mcp:read_pii': 'See personal data such as email addresses, when your organization allows it',
  },
  roles: {
    owner: ['mcp:read', 'mcp:write', 'mcp:admin', 'mcp:read_pii'],
    admin: ['mcp:read', 'mcp:write', 'mcp:admin', 'mcp:read_pii'],
    member: ['mcp:read', 'mcp:write'],
    viewer: ['mcp:read'],
  },
};

/** The scopes a role grants, in the model's order; none for an unknown role. */
export function scopesOfRole(model: AccessModel, role: string | undefined): string[] {
  return role === undefined ? [] : [...(model.roles[role] ?? [])];
}

/** What a token gets: the role's scopes, narrowed to what the client asked for when it asked. */
export function grantableScopes(model: AccessModel, role: string | undefined, requested: readonly string[] | undefined): string[] {
  const allowed = scopesOfRole(model, role);
  if (requested === undefined || requested.length === 0) return allowed;
  return allowed.filter((s) => requested.includes(s));
}
