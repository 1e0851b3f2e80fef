/**
 * Credentials for journeys that log in. They come only from the environment or a file, never
 * from a flag (flags show up in `ps` and shell history), and are never printed.
 *
 *   PERFPULSE_USERNAME       the user name
 *   PERFPULSE_PASSWORD_FILE  a file whose first line is the password (Kubernetes Secret mount)
 *   PERFPULSE_PASSWORD       the password (fallback when no file is given)
 */
import { UserError, firstLineOf } from '../errors.ts';

export interface Credentials {
  username: string;
  password: string;
}

/**
 * Reads credentials from `env`; returns `fallback` (the replica's documented demo user for
 * `--env local`) or undefined when none are set. A password file that cannot be read is bad input.
 */
export function credentialsFromEnv(env: NodeJS.ProcessEnv, fallback?: Credentials): Credentials | undefined {
  const username = env.PERFPULSE_USERNAME?.trim();
  let password = env.PERFPULSE_PASSWORD;
  const file = env.PERFPULSE_PASSWORD_FILE;
  if (file) password = firstLineOf(file, 'PERFPULSE_PASSWORD_FILE', 'the password');
  if (!username && !password) return fallback;
  if (!username) throw new UserError('a password is set but PERFPULSE_USERNAME is not');
  if (!password) throw new UserError('PERFPULSE_USERNAME is set but neither PERFPULSE_PASSWORD nor PERFPULSE_PASSWORD_FILE is');
  return { username, password };
}
