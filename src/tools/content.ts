/** MCP content blocks and the helpers that build them. */

export interface ContentAnnotations {
  readonly audience?: readonly ('user' | 'assistant')[];
  readonly priority?: number;
  readonly lastModified?: string;
}

export interface TextContent {
  readonly type: 'text';
  readonly text: string;
  readonly annotations?: ContentAnnotations;
  readonly _meta?: Record<string, unknown>;
}

export interface ImageContent {
  readonly type: 'image';
  /** Base64-encoded bytes. */
  readonly data: string;
  readonly mimeType: string;
  readonly annotations?: ContentAnnotations;
  readonly _meta?: Record<string, unknown>;
}

export interface AudioContent {
  readonly type: 'audio';
  /** Base64-encoded bytes. */
  readonly data: string;
  readonly mimeType: string;
  readonly annotations?: ContentAnnotations;
  readonly _meta?: Record<string, unknown>;
}

export interface TextResourceContents {
  readonly uri: string;
  readonly mimeType?: string;
  readonly text: string;
  readonly _meta?: Record<string, unknown>;
}

export interface BlobResourceContents {
  readonly uri: string;
  readonly mimeType?: string;
  /** Base64-encoded bytes. */
  readonly blob: string;
  readonly _meta?: Record<string, unknown>;
}

export type ResourceContents = TextResourceContents | BlobResourceContents;

export interface EmbeddedResource {
  readonly type: 'resource';
  readonly resource: ResourceContents;
  readonly annotations?: ContentAnnotations;
  readonly _meta?: Record<string, unknown>;
}

export interface ResourceLink {
  readonly type: 'resource_link';
  readonly uri: string;
  readonly name: string;
  readonly title?: string;
  readonly description?: string;
  readonly mimeType?: string;
  readonly annotations?: ContentAnnotations;
  readonly _meta?: Record<string, unknown>;
}

export type ContentBlock = TextContent | ImageContent | AudioContent | EmbeddedResource | ResourceLink;

export function text(value: string): TextContent {
  return { type: 'text', text: value };
}

export function image(data: string, mimeType: string): ImageContent {
  return { type: 'image', data, mimeType };
}

export function audio(data: string, mimeType: string): AudioContent {
  return { type: 'audio', data, mimeType };
}

export function embeddedResource(resource: ResourceContents): EmbeddedResource {
  return { type: 'resource', resource };
}

export function resourceLink(link: Omit<ResourceLink, 'type'>): ResourceLink {
  return { type: 'resource_link', ...link };
}
