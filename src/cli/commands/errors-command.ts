import { parseArgs } from 'node:util';
import { errorCatalog } from '../../errors/catalog.js';
import { renderErrorReference } from '../../errors/reference.js';
import { CliUsageError } from '../cli-error.js';

export const errorsHelp = `gatehouse errors [--markdown | --json]

Prints the error catalogue: every code with its HTTP status, JSON-RPC code,
retryable flag, meaning, cause and fix. --markdown writes docs/errors.md.`;

export function errorsCommand(args: string[]): void {
  let values;
  try {
    ({ values } = parseArgs({ args, options: { markdown: { type: 'boolean' }, json: { type: 'boolean' } }, strict: true }));
  } catch (err) {
    throw new CliUsageError((err as Error).message);
  }
  if (values.json === true) {
    process.stdout.write(`${JSON.stringify(errorCatalog, null, 2)}\n`);
    return;
  }
  if (values.markdown === true) {
    process.stdout.write(renderErrorReference());
    return;
  }
  for (const [code, def] of Object.entries(errorCatalog)) {
    process.stdout.write(`${code.padEnd(30)} HTTP ${def.http}  ${def.retryable ? 'retryable ' : '          '} ${def.message}\n`);
  }
}
