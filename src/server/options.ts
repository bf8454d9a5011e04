import { z } from 'zod';
import type { AccessCheck } from '../auth/oauth/create-provider.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Logger } from '../log/logger.js';
import { oauthOptionsSchema } from '../auth/oauth/oauth-options.js';
import { storeConfigSchema } from '../store/store-config.js';
import { plansSchema } from '../tenancy/plans.js';
import { auditOptionsSchema } from '../audit/audit-options.js';
import { policyOptionsSchema } from '../policy/policy-options.js';
import { accessModelSchema, DEFAULT_ACCESS_MODEL } from '../tenancy/roles.js';
import type { PromptDefinition } from '../tools/define-prompt.js';
import type { ResourceDefinition, ResourceTemplateDefinition } from '../tools/define-resource.js';
import type { ToolDefinition } from '../tools/define-tool.js';

const MiB = 1024 * 1024;

/** Limits, each with its unit in the name. */
export const limitsSchema = z
  .object({
    /** Largest request body accepted, bytes. Default 1 MiB. */
    maxBodyBytes: z.number().int().min(1024).max(64 * MiB).default(MiB),
    /** Time a tool handler may run before it is aborted with `timeout`, ms. Default 30 000. */
    toolTimeoutMs: z.number().int().min(10).max(3_600_000).default(30_000),
    /** Time to wait for a 2025-11-25 client to answer sampling/elicitation, ms. Default 300 000 (a person may be typing). */
    clientRequestTimeoutMs: z.number().int().min(100).max(3_600_000).default(300_000),
    /** A 2025-11-25 session idle this long is forgotten, ms. Default 24 h. */
    sessionIdleMs: z.number().int().min(60_000).default(24 * 3_600_000),
    /** Open notification streams per instance. Default 1024. */
    maxStreams: z.number().int().min(1).max(100_000).default(1024),
    /** Interval of SSE keep-alive comments, ms; 0 turns them off. Default 15 000. */
    keepAliveMs: z.number().int().min(0).default(15_000),
  })
  .prefault({});

/** How callers authenticate on `/mcp`. */
export const authSchema = z.discriminatedUnion('kind', [
  z.object({
    /** Bearer JWT access tokens from an external issuer, verified with jose. */
    kind: z.literal('jwt'),
    /** HS256 shared secret (≥ 32 bytes); or give `jwksUrl`. */
    secret: z.string().min(32).optional(),
    /** JWKS URL of the issuer for asymmetric keys. */
    jwksUrl: z.url().optional(),
    issuer: z.string().min(1),
    /** Audience tokens must carry; default `<publicUrl>/mcp`. */
    audience: z.string().min(1).optional(),
    /** Accepted clock skew, seconds. Default 30. */
    clockToleranceSec: z.number().int().min(0).max(600).default(30),
    /** Verified tokens cached until expiry. Default 10 000. */
    cacheSize: z.number().int().min(0).default(10_000),
  }),
  /** The built-in OAuth 2.1 authorization server (and API keys). */
  oauthOptionsSchema,
  z.object({
    /** No authorization at all: every call acts as one local developer. Development only. */
    kind: z.literal('insecure-none'),
    /** The organization the local developer acts in. */
    organizationId: z.string().nullable().default(null),
  }),
]);

export const serverOptionsSchema = z.object({
  /** Server name reported to clients (`serverInfo.name`). */
  name: z.string().min(1),
  /** Server version reported to clients. */
  version: z.string().min(1),
  title: z.string().optional(),
  /** Guidance for the model about how to use the tools. */
  instructions: z.string().optional(),
  /** TCP port `listen()` binds. Default 8787; 0 picks a free port. */
  port: z.number().int().min(0).max(65_535).default(8787),
  /** Interface `listen()` binds. Default 127.0.0.1; use 0.0.0.0 behind a proxy or in a container. */
  host: z.string().min(1).default('127.0.0.1'),
  /**
   * The URL clients reach this server at, behind any proxy (B-SRV-03). Every
   * advertised URL derives from it. Default `http://localhost:<port>`.
   */
  publicUrl: z.url().optional(),
  /**
   * Trust `X-Forwarded-For` for the client address (rate limits). Only behind
   * a proxy that sets it; default false. Host and scheme always come from `publicUrl`.
   */
  trustProxy: z.boolean().default(false),
  /** The product's scopes (with their plain-words descriptions) and the roles that grant them. */
  access: accessModelSchema.default(DEFAULT_ACCESS_MODEL),
  /** Extra Host header values accepted besides the public URL's host; `*` accepts any. */
  allowedHosts: z.array(z.string()).default([]),
  /** Extra browser origins allowed besides the public URL's origin. */
  allowedOrigins: z.array(z.string()).default([]),
  auth: authSchema,
  /** How a call finds its organization (B-TEN-04, B-TEN-06). */
  tenancy: z
    .object({
      /**
       * `pinned` (default): a token is bound to the organization chosen at consent.
       * `per-call`: a token acts for the user in all their workspaces; tools take
       * the workspace argument, chosen automatically when there is only one.
       */
      mode: z.enum(['pinned', 'per-call']).default('pinned'),
      /** The workspace argument of `per-call` mode. Default `workspace_id`. */
      parameter: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/).default('workspace_id'),
    })
    .prefault({}),
  /** The built-in tools; each is on by default and can be turned off. */
  builtinTools: z
    .object({
      whoami: z.boolean().default(true),
      get_capabilities: z.boolean().default(true),
      list_organizations: z.boolean().default(true),
      switch_organization: z.boolean().default(true),
    })
    .prefault({}),
  /** Plans and how they gate MCP access; without it every organization has access. */
  plans: plansSchema.optional(),
  /** Where Gatehouse keeps its data. Default: SQLite at `./.gatehouse/gatehouse.sqlite`. */
  store: storeConfigSchema.default({ kind: 'sqlite', file: '.gatehouse/gatehouse.sqlite' }),
  /** Server secret (≥ 32 characters) keying request-state MACs; generated beside a SQLite store when absent. Required with PostgreSQL. */
  secret: z.string().min(32).optional(),
  limits: limitsSchema,
  /** The tool policy pipeline: defaults, confirmation, limits, breakers, connectors, add-ons. */
  policy: policyOptionsSchema,
  /** The audit log of sign-ins, tokens, keys and tool calls. */
  audit: auditOptionsSchema,
});

export type ServerOptions = z.input<typeof serverOptionsSchema>;
export type ResolvedServerOptions = z.output<typeof serverOptionsSchema>;

/** Everything `createGatehouse` takes: the product's declarations plus validated options. */
export interface GatehouseOptions extends ServerOptions {
  readonly tools: readonly ToolDefinition[];
  readonly prompts?: readonly PromptDefinition[];
  readonly resources?: readonly (ResourceDefinition | ResourceTemplateDefinition)[];
  /** A logger to use; default a JSON pino logger on stdout at `info`. */
  readonly logger?: Logger;
  /** Extra check at consent and at every refresh (plans, suspensions); a returned catalogue error refuses. */
  readonly accessCheck?: AccessCheck;
  /**
   * The clock of time windows (breaker cool-downs, idempotency expiry,
   * connector expiry, `data_as_of`), epoch ms. Default `Date.now`; tests freeze it.
   */
  readonly clock?: () => number;
  /** Where audited events go; default Gatehouse's own audit log in the store. */
  readonly auditLog?: AuditLog;
}
