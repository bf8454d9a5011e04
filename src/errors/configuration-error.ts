/**
 * A mistake in how Gatehouse was set up (options, tool definitions), thrown at
 * construction so it surfaces at start-up, never as a wire error.
 */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
  constructor(
    message: string,
    /** The option or definition at fault, e.g. `tools[3].name`. */
    readonly path?: string,
  ) {
    super(path === undefined ? message : `${path}: ${message}`);
  }
}
