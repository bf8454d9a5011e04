import type { Logger } from './logger.js';

type Fields = string | Record<string, unknown>;

/**
 * A child logger that is only created when first used, so requests that log
 * nothing (the hot path) do not pay for binding `request_id`. Methods live on
 * the prototype: constructing one is a single small allocation.
 */
class LazyChild implements Logger {
  #child: Logger | undefined;

  constructor(
    private readonly parent: Logger,
    private readonly bindings: Record<string, unknown>,
  ) {}

  #get(): Logger {
    return (this.#child ??= this.parent.child(this.bindings));
  }

  trace(a: Fields, b?: string): void {
    this.#get().trace(a as never, b);
  }
  debug(a: Fields, b?: string): void {
    this.#get().debug(a as never, b);
  }
  info(a: Fields, b?: string): void {
    this.#get().info(a as never, b);
  }
  warn(a: Fields, b?: string): void {
    this.#get().warn(a as never, b);
  }
  error(a: Fields, b?: string): void {
    this.#get().error(a as never, b);
  }
  fatal(a: Fields, b?: string): void {
    this.#get().fatal(a as never, b);
  }
  child(bindings: Record<string, unknown>): Logger {
    return this.#get().child(bindings);
  }
  isLevelEnabled(level: string): boolean {
    return this.parent.isLevelEnabled(level);
  }
}

export function lazyChild(parent: Logger, bindings: Record<string, unknown>): Logger {
  return new LazyChild(parent, bindings);
}
