import { passwordProblem } from '../../tenancy/password.js';
import { CliUsageError } from '../cli-error.js';
import { readSecretFromStdin } from '../read-secret-stdin.js';
import { iso } from './admin-context.js';
import { emailOption, optionalString, type AdminSubcommand } from './admin-subcommand.js';

/** `gatehouse admin user add`: a local account that signs in with a password. */
export const userAdd: AdminSubcommand = {
  usage: 'user add --email E [--name N] --password-stdin',
  summary: 'create a user; the password is read from stdin',
  options: { email: { type: 'string' }, name: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
  async prepare({ values, refuse }) {
    const email = emailOption(values);
    const name = optionalString(values, 'name');
    if (values['password-stdin'] !== true) {
      throw new CliUsageError('--password-stdin is required: the password is read from stdin, e.g. printf \'%s\' "$PASSWORD" | gatehouse admin user add --email … --password-stdin');
    }
    const password = await readSecretFromStdin(`Password for ${email}: `);
    const problem = passwordProblem(password);
    if (problem !== undefined) throw refuse('invalid_password', problem);

    return async (ctx) => {
      if ((await ctx.directory.findUserByEmail(email)) !== undefined) throw ctx.refuse('user_exists', `A user with email ${email.toLowerCase()} already exists.`);
      const user = await ctx.directory.createUser({ email, password, ...(name === undefined ? {} : { name }) });
      ctx.print(`Created user ${user.id} (${user.email}). Add them to an organization: gatehouse admin member add --email ${user.email} --org SLUG --role member`, {
        id: user.id,
        email: user.email,
        name: user.name,
        created_at: iso(user.created_at),
      });
    };
  },
};
