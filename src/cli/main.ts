#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { CliRefusal, CliUsageError } from './cli-error.js';
import { adminCommand, adminHelp } from './commands/admin-command.js';
import { devCommand, devHelp } from './commands/dev-command.js';
import { errorsCommand, errorsHelp } from './commands/errors-command.js';

const HELP = `Gatehouse — the production front door for remote MCP servers.

Usage: gatehouse <command> [options]

Commands:
  dev       run the Mailroom demo on an embedded SQLite file, with the built-in
            OAuth authorization server and a demo account (printed on start)
  admin     manage users, organizations, memberships and API keys; read the audit log:
              admin user add --email E [--name N] --password-stdin
              admin org add --slug S --name N      admin org list
              admin member add --email E --org SLUG --role owner|admin|member|viewer
              admin key create --email E [--org SLUG] [--scopes "mcp:read"] [--expires 30d]
              admin key list [--email E]           admin key revoke ID
              admin audit tail [--org SLUG] [--user E] [--kind K] [--follow]
              admin audit export [--from ISO] [--to ISO] [--format jsonl|csv]
  errors    print the error catalogue (--markdown for docs/errors.md)

Run "gatehouse <command> --help" for a command's options.`;

const COMMANDS: Record<string, { run: (args: string[]) => void | Promise<void>; help: string }> = {
  dev: { run: devCommand, help: devHelp },
  admin: { run: adminCommand, help: adminHelp },
  errors: { run: errorsCommand, help: errorsHelp },
};

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  if (command === undefined) {
    process.stderr.write(`gatehouse: unknown command "${name}"\n\n${HELP}\n`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.help}\n`);
    return 0;
  }
  try {
    await command.run(rest);
    return 0;
  } catch (err) {
    if (err instanceof CliUsageError) {
      process.stderr.write(`gatehouse ${name}: ${err.message}\n\n${command.help}\n`);
      return 2;
    }
    if (err instanceof CliRefusal) {
      if (err.json) process.stdout.write(`${JSON.stringify({ error: err.code, message: err.message })}\n`);
      process.stderr.write(`gatehouse ${name}: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
}

// Piping into `head` closes stdout early; that is not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0) process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`gatehouse: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
