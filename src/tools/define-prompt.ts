import type { ContentBlock } from './content.js';
import type { InputRequired } from './input-required.js';
import type { RequestContext } from './tool-context.js';

export interface PromptArgument {
  readonly name: string;
  readonly description?: string;
  readonly required?: boolean;
}

export interface PromptMessage {
  readonly role: 'user' | 'assistant';
  readonly content: ContentBlock;
}

export interface PromptResult {
  readonly description?: string;
  readonly messages: readonly PromptMessage[];
}

/**
 * Suggests values for one argument while the user types it
 * (`completion/complete`). `request` scopes suggestions to the caller's tenant.
 */
export type Completer = (
  value: string,
  context: { readonly arguments: Readonly<Record<string, string>>; readonly request: RequestContext },
) => readonly string[] | Promise<readonly string[]>;

export interface PromptDefinition {
  readonly kind: 'prompt';
  readonly name: string;
  readonly title?: string;
  readonly description: string;
  readonly arguments: readonly PromptArgument[];
  readonly complete?: Readonly<Record<string, Completer>>;
  readonly handler: (args: Readonly<Record<string, string>>, ctx: RequestContext) => PromptResult | InputRequired | Promise<PromptResult | InputRequired>;
}

/** Declares a prompt template. Missing required arguments are refused before the handler runs. */
export function definePrompt(config: Omit<PromptDefinition, 'kind' | 'arguments'> & { readonly arguments?: readonly PromptArgument[] }): PromptDefinition {
  return { kind: 'prompt', ...config, arguments: config.arguments ?? [] };
}
