import type { ResourceContents } from './content.js';
import type { Completer } from './define-prompt.js';
import type { InputRequired } from './input-required.js';
import type { RequestContext } from './tool-context.js';

/** How long a client or gateway may reuse a list or read result (2026-07-28 caching hints). */
export interface CacheHint {
  /** Milliseconds the result stays fresh; 0 means re-fetch every time. */
  readonly ttlMs: number;
  /** `public` only when the result is the same for every caller. */
  readonly scope: 'public' | 'private';
}

export interface ResourceInfo {
  readonly uri: string;
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly mimeType?: string;
  readonly size?: number;
}

export type ReadResult = ResourceContents | readonly ResourceContents[] | InputRequired;

export interface ResourceDefinition extends ResourceInfo {
  readonly kind: 'resource';
  readonly cache?: CacheHint;
  readonly read: (ctx: RequestContext) => ReadResult | Promise<ReadResult>;
}

export interface ResourceTemplateDefinition {
  readonly kind: 'resourceTemplate';
  /** RFC 6570 template with simple `{name}` variables, e.g. `mailroom://campaigns/{id}`. */
  readonly uriTemplate: string;
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly mimeType?: string;
  readonly cache?: CacheHint;
  /** Concrete resources to include in `resources/list`, when the template can enumerate them. */
  readonly list?: (ctx: RequestContext) => readonly ResourceInfo[] | Promise<readonly ResourceInfo[]>;
  readonly complete?: Readonly<Record<string, Completer>>;
  /** Returns the contents, or `null` when nothing exists at this URI (answered as resource not found). */
  readonly read: (
    uri: string,
    variables: Readonly<Record<string, string>>,
    ctx: RequestContext,
  ) => ReadResult | null | Promise<ReadResult | null>;
}

export function defineResource(config: Omit<ResourceDefinition, 'kind'>): ResourceDefinition {
  return { kind: 'resource', ...config };
}

export function defineResourceTemplate(config: Omit<ResourceTemplateDefinition, 'kind'>): ResourceTemplateDefinition {
  return { kind: 'resourceTemplate', ...config };
}
