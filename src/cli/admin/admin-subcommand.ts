import { DEFAULT_ACCESS_MODEL } from '../../tenancy/roles.js';
import type { ParseArgsConfig } from 'node:util';
import { CliUsageError, type CliRefusal } from '../cli-error.js';
import type { AdminContext } from './admin-context.js';

export type AdminValues = Readonly<Record<string, string | boolean | undefined>>;

/** What a subcommand's preparation sees: its parsed arguments, and how to refuse. */
export interface AdminInput {
  readonly values: AdminValues;
  readonly positionals: readonly string[];
  readonly refuse: (code: string, message: string) => CliRefusal;
}

/**
 * One `gatehouse admin <noun> <verb>`. `prepare` checks the arguments (and
 * reads stdin) before any store is opened, so a usage mistake never migrates
 * or connects; the step it returns does the work.
 */
export interface AdminSubcommand {
  /** The synopsis after `gatehouse admin`, e.g. `user add --email E …`. */
  readonly usage: string;
  readonly summary: string;
  /** Options beyond the common `--data` and `--json`. */
  readonly options: NonNullable<ParseArgsConfig['options']>;
  /** Names of the positional arguments, in order; none by default. */
  readonly positionals?: readonly string[];
  prepare(input: AdminInput): Promise<(ctx: AdminContext) => Promise<void>> | ((ctx: AdminContext) => Promise<void>);
}

/** The value of a string option, or a usage error naming it. */
export function requiredString(values: AdminValues, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value.trim() === '') throw new CliUsageError(`--${name} is required`);
  return value.trim();
}

/** The value of an optional string option, trimmed; undefined when absent. */
export function optionalString(values: AdminValues, name: string): string | undefined {
  const value = values[name];
  if (value === undefined || typeof value !== 'string') return undefined;
  if (value.trim() === '') throw new CliUsageError(`--${name} needs a value`);
  return value.trim();
}

const EMAIL = /^[^\s@]+@[^\s@]+$/;

/** `--email`, checked for shape (the directory normalises case). */
export function emailOption(values: AdminValues): string {
  const email = requiredString(values, 'email');
  if (!EMAIL.test(email)) throw new CliUsageError(`--email must be an email address, got ${email}`);
  return email;
}

// The names a product may give its plans (the `plans.definitions` keys).
const PLAN = /^[a-z0-9][a-z0-9_-]{0,39}$/;

/** `--plan`, checked for shape: 1–40 lower-case letters, digits, _ or -. Undefined when absent. */
export function planOption(values: AdminValues, required: boolean): string | undefined {
  const plan = required ? requiredString(values, 'plan') : optionalString(values, 'plan');
  if (plan !== undefined && !PLAN.test(plan)) throw new CliUsageError(`--plan must be 1–40 lower-case letters, digits, _ or -, e.g. growth; got ${plan}`);
  return plan;
}

/** `--role`, one of the access model's roles; anything else is a usage mistake. */
export function roleOption(values: AdminValues): string {
  const role = requiredString(values, 'role');
  const roles = Object.keys(DEFAULT_ACCESS_MODEL.roles);
  if (!roles.includes(role)) throw new CliUsageError(`--role must be one of ${roles.join(', ')}`);
  return role;
}

/** "a member", "an owner". */
export function withArticle(role: string): string {
  return `${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role}`;
}
