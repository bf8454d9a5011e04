/** A user mistake on the command line: printed without a stack, exit code 2. */
export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

/**
 * An expected refusal (unknown user, duplicate email, scopes beyond the role):
 * one line on stderr, exit code 1, and with `--json` the same as an object on
 * stdout, so scripts can tell refusals apart by `code`.
 */
export class CliRefusal extends Error {
  override readonly name = 'CliRefusal';
  constructor(
    /** Stable snake_case reason, e.g. `user_not_found`. */
    readonly code: string,
    message: string,
    /** Print `{ "error": code, "message": … }` on stdout too. */
    readonly json = false,
  ) {
    super(message);
  }
}
